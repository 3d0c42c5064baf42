using StyleLab.Weights;
using TorchSharp;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>The reader gives the values Lua Torch wrote into ../shared/fixtures/torch7 (see the README there).</summary>
public class Torch7ReaderTests
{
    static object? Read(string name) => Torch7Reader.Load(Torch7Files.Require(name));

    [SkippableFact]
    public void A_table_with_a_number_holds_the_double()
    {
        var table = Assert.IsType<Torch7Table>(Read("hello=123.t7"));
        Assert.Equal(1, table.Count);
        Assert.Equal(123.0, table["hello"]);
    }

    [SkippableFact]
    public void A_list_table_keeps_its_numeric_keys_in_order()
    {
        var table = Assert.IsType<Torch7Table>(Read("list_table.t7"));
        Assert.Equal(["hello", "world", "third item", 123.0], table.Sequence);
        Assert.Equal(4, table.Count);
    }

    [SkippableFact]
    public void Map_tables_keep_a_zero_key_and_string_keys()
    {
        var one = Assert.IsType<Torch7Table>(Read("map_table1.t7"));
        Assert.Equal("zero", one.Entries[0.0]);
        Assert.Equal(["hello", "world", "third item", 123.0], one.Sequence);
        var two = Assert.IsType<Torch7Table>(Read("map_table2.t7"));
        Assert.Equal("non number key", two["a"]);
        Assert.Equal(5, two.Count);
    }

    [SkippableFact]
    public void A_custom_class_keeps_its_name_and_version()
    {
        var blah = Assert.IsType<Torch7Object>(Read("custom_class.t7"));
        Assert.Equal("Blah", blah.ClassName);
        Assert.Equal(1, blah.Version);
        Assert.Equal(0, blah.Fields!.Count);
    }

    [SkippableFact]
    public void Recursive_references_resolve_to_the_same_object()
    {
        var a = Assert.IsType<Torch7Object>(Read("recursive_class.t7"));
        Assert.Equal("A", a.ClassName);
        Assert.Same(a, a["a"]);

        var table = Assert.IsType<Torch7Table>(Read("recursive_kv_table.t7"));
        var (key, value) = Assert.Single(table.Entries);
        Assert.Same(table, key);
        Assert.Same(table, value);
    }

    [SkippableFact]
    public void A_double_tensor_has_its_values_sizes_and_strides()
    {
        var t = Assert.IsType<Torch7Tensor>(Read("doubletensor.t7"));
        Assert.Equal("torch.DoubleTensor", t.ClassName);
        Assert.Equal([2L, 3L], t.Sizes);
        Assert.Equal([3L, 1L], t.Strides);
        using var tensor = t.ToTensor();
        Assert.Equal(torch.ScalarType.Float64, tensor.dtype);
        Assert.Equal([1, 2, 3, 4, 5, 6.9], tensor.data<double>().ToArray());
    }

    [SkippableFact]
    public void A_float_tensor_sums_as_Lua_wrote_it()
    {
        var t = Assert.IsType<Torch7Tensor>(Read("floattensor.t7"));
        using var tensor = t.ToTensor();
        Assert.Equal(torch.ScalarType.Float32, tensor.dtype);
        Assert.Equal(12.97241666913, tensor.to(torch.ScalarType.Float64).sum().item<double>(), 1e-5);
    }

    [SkippableFact]
    public void tds_containers_become_tables()
    {
        var hash = Assert.IsType<Torch7Table>(Read("tds_hash.t7"));
        Assert.Equal(3, hash.Count);
        Assert.Equal(2.0, hash[1]);
        Assert.Equal(11.0, hash[10]);
        var vec = Assert.IsType<Torch7Table>(Read("tds_vec.t7"));
        Assert.Equal([123.0, 456.0], vec.Sequence);
    }

    [SkippableFact]
    public void An_nngraph_node_keeps_its_nested_fields()
    {
        var node = Assert.IsType<Torch7Object>(Read("nngraph_node.t7"));
        Assert.Equal("nngraph.Node", node.ClassName);
        var data = Assert.IsType<Torch7Table>(node["data"]);
        var annotations = Assert.IsType<Torch7Table>(data["annotations"]);
        Assert.Equal(123.0, annotations["hello"]);
        Assert.Equal(false, node["visited"]);
    }

    [SkippableFact]
    public void A_gModule_shares_its_modules_between_the_list_and_the_graph_nodes()
    {
        var gmodule = Assert.IsType<Torch7Object>(Read("gmodule_with_linear_identity.t7"));
        Assert.Equal("nn.gModule", gmodule.ClassName);
        var modules = Assert.IsType<Torch7Table>(gmodule["modules"]).Sequence.Cast<Torch7Object>().ToList();
        Assert.Equal(["nn.Identity", "nn.Identity", "nn.Linear", "nn.CAddTable"], modules.Select(m => m.ClassName));
        var linear = modules[2];
        var weight = Assert.IsType<Torch7Tensor>(linear["weight"]);
        var bias = Assert.IsType<Torch7Tensor>(linear["bias"]);
        Assert.Equal(2, weight.Sizes.Count);
        Assert.Equal(weight.Sizes[0], bias.Sizes[0]);
        // The same nn.Linear instance hangs off a forward node's data: one object, not a copy.
        var nodes = Assert.IsType<Torch7Table>(gmodule["forwardnodes"]).Sequence.Cast<Torch7Object>();
        Assert.Contains(nodes, n => ReferenceEquals((n["data"] as Torch7Table)?["module"], linear));
    }

    [SkippableTheory]
    [InlineData("function.t7")]
    [InlineData("function_upvals.t7")]
    public void A_serialised_Lua_function_is_refused_naming_the_file(string name)
    {
        string path = Torch7Files.Require(name);
        var e = Assert.Throws<WeightFileException>(() => Torch7Reader.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(name, e.Message);
        Assert.Contains("Lua function", e.Message);
    }
}
