using System.Text;
using System.Text.Json.Nodes;
using StyleLab.Kernel;

namespace StyleLab.Tests.Kernel;

public class WireProtocolTests
{
    [Fact]
    public void Signature_is_the_hmac_sha256_of_the_four_json_frames()
    {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'key', b'{}{}{}{}', hashlib.sha256).hexdigest())"
        var signer = new MessageSigner("key");
        byte[][] frames = [.. Enumerable.Repeat(Encoding.UTF8.GetBytes("{}"), 4)];
        Assert.Equal("ca767b02c5bc061ed184a9a029e7f93a7f2f7ed4e8fe74120fc1212f0b008fa3", signer.Sign(frames));
    }

    [Fact]
    public void A_signed_message_round_trips_and_a_tampered_one_is_rejected()
    {
        var signer = new MessageSigner("secret");
        var sent = WireMessage.Create("execute_request", new JsonObject { ["code"] = "1 + 2" }, "session");
        var frames = sent.ToFrames(signer);

        var received = WireMessage.Parse(frames, signer, out string? error);
        Assert.Null(error);
        Assert.Equal("execute_request", received!.MsgType);
        Assert.Equal("1 + 2", (string?)received.Content["code"]);

        frames[^1] = Encoding.UTF8.GetBytes("""{"code":"rm -rf /"}""");
        Assert.Null(WireMessage.Parse(frames, signer, out error));
        Assert.Equal("invalid signature", error);
        Assert.Null(WireMessage.Parse(sent.ToFrames(new MessageSigner("other key")), signer, out _));
    }

    [Fact]
    public void An_empty_key_means_unsigned_messages()
    {
        var none = new MessageSigner("");
        var frames = WireMessage.Create("kernel_info_request", [], "s").ToFrames(none);
        Assert.Empty(frames[1]); // the signature frame
        Assert.NotNull(WireMessage.Parse(frames, none, out _));
    }

    [Fact]
    public void Routing_identities_come_back_on_the_reply_and_the_parent_header_is_the_request_header()
    {
        var signer = new MessageSigner("k");
        var request = WireMessage.Create("complete_request", [], "client");
        var withIdentity = WireMessage.Parse([Encoding.ASCII.GetBytes("peer-1"), .. request.ToFrames(signer)], signer, out _)!;
        var reply = WireMessage.Create("complete_reply", [], "kernel", withIdentity);
        var frames = reply.ToFrames(signer);
        Assert.Equal("peer-1", Encoding.ASCII.GetString(frames[0]));
        Assert.Equal(request.MsgId, (string?)reply.ParentHeader["msg_id"]);
    }

    [Theory]
    [InlineData("1 + 2", "complete")]
    [InlineData("var x = 1;", "complete")]
    [InlineData("", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("Console.WriteLine(", "incomplete")]
    [InlineData("int x = ;", "invalid")]
    public void Code_completeness(string code, string expected) => Assert.Equal(expected, CodeCompleteness.Check(code));

    [Fact]
    public void Kernelspec_runs_the_kernel_with_the_connection_file_and_asks_for_message_interrupts()
    {
        string prefix = Directory.CreateTempSubdirectory().FullName;
        try
        {
            string dir = KernelSpec.Install(prefix, ["/opt/stylelab/StyleLab.Kernel"]);
            Assert.Equal(Path.Combine(prefix, "share", "jupyter", "kernels", "stylelab-csharp"), dir);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kernel.json")))!;
            Assert.Equal("""["/opt/stylelab/StyleLab.Kernel","-f","{connection_file}"]""", spec["argv"]!.ToJsonString());
            Assert.Equal("message", (string?)spec["interrupt_mode"]);
            Assert.Equal("csharp", (string?)spec["language"]);
            Assert.Equal("C# (StyleLab)", (string?)spec["display_name"]);
        }
        finally { Directory.Delete(prefix, recursive: true); }
    }
}
