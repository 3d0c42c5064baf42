using CsCheck;
using StyleLab.Batch;

namespace StyleLab.Tests.Batch;

public class ShardTests
{
    static BatchItem Item(string output) => new("c.jpg", ["wave"], "fast", output);

    [Fact]
    public void The_shards_partition_any_manifest_every_item_in_exactly_one()
    {
        var names = Gen.String[Gen.Char["abcxyz/._-0123456789"], 1, 24].Select(s => "d/" + s + ".png");
        Gen.Select(Gen.Int[1, 40], names.List[0, 300]).Sample((n, outputs) =>
        {
            var items = outputs.Distinct().Select(Item).ToList();
            var shards = Enumerable.Range(0, n).Select(i => new Shard(i, n).Select(items)).ToList();
            Assert.Equal(items.Count, shards.Sum(s => s.Count));
            foreach (var item in items)
                Assert.Single(shards, s => s.Contains(item));
        });
    }

    [Fact]
    public void An_item_keeps_its_shard_whatever_else_the_manifest_holds()
    {
        // The rule is a pure function of the output path: a hard-coded value guards the hash against a silent change,
        // which would move every finished output to another shard's count.
        Assert.Equal(Shard.Of("n01440764/photo.png", 16), Shard.Of("./n01440764//photo.png", 16));
        Assert.Equal(Shard.Of("a\\b.png", 7), Shard.Of("a/b.png", 7));
        Assert.Equal(ExpectedShardOfAB, Shard.Of("a/b.png", 7));
    }

    const int ExpectedShardOfAB = 2;   // xxHash64("a/b.png", UTF-8, seed 0) mod 7

    [Fact]
    public void Shards_are_spread_evenly()
    {
        var counts = new int[8];
        for (int i = 0; i < 8000; i++) counts[Shard.Of($"class{i % 100}/img{i}.png", 8)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/16", 3, 16)]
    public void Parses_i_of_N(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("2")]
    [InlineData("a/b")]
    public void Refuses_what_is_not_a_shard(string text) => Assert.Throws<FormatException>(() => Shard.Parse(text));

    static Func<string, string?> Env(params (string Name, string Value)[] vars) => name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_Slurm_array_gives_the_shard_by_its_task_id()
    {
        Assert.Equal(new Shard(2, 4), Shard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_MAX", "3")), null));
        Assert.Equal(new Shard(1, 4), Shard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_MAX", "4")), null));
        // Re-submitting one task (sbatch --array=5) keeps the partition when --shards is given.
        Assert.Equal(new Shard(5, 8), Shard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_COUNT", "1"), ("SLURM_ARRAY_TASK_MIN", "5"), ("SLURM_ARRAY_TASK_MAX", "5")), 8));
        // A stepped array (0-6:2) is not one index per task.
        Assert.Throws<ArgumentException>(() => Shard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_MAX", "6")), null));
        Assert.Throws<ArgumentException>(() => Shard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "9")), 8));
    }

    [Fact]
    public void A_Kubernetes_indexed_job_gives_the_index_and_shards_the_count()
    {
        Assert.Equal(new Shard(3, 10), Shard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "3")), 10));
        Assert.Throws<ArgumentException>(() => Shard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "3")), null));
        Assert.Equal(Shard.All, Shard.FromEnvironment(Env(), null));
        Assert.Throws<ArgumentException>(() => Shard.FromEnvironment(Env(), 4));
    }
}
