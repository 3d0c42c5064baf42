using StyleLab.Cli;
using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

/// <summary>
/// What every image-writing command shares: an existing output is replaced only with <c>--force</c>, and
/// <c>--size</c> (and sides like quilt's <c>--width</c>) above <see cref="Resize.MaxSide"/> is a usage error
/// naming the option and the limit — both refused before anything is loaded, so no weights are needed.
/// </summary>
public sealed class CliOutputTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-cli-output-").FullName;
    readonly string _photo, _painting, _existing;

    public CliOutputTests()
    {
        _photo = Path.Combine(_folder, "photo.png");
        _painting = Path.Combine(_folder, "painting.png");
        _existing = Path.Combine(_folder, "result.png");
        using var scope = NewDisposeScope();
        ImageIO.Save(rand(1, 3, 24, 32), _photo);
        ImageIO.Save(rand(1, 3, 32, 24), _painting);
        File.WriteAllText(_existing, "yesterday's result");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Each image-writing command with the arguments it needs besides <c>-o</c>.</summary>
    public static TheoryData<string> Commands() =>
    [
        "gatys -c {photo} -s {painting}",
        "adain -c {photo} -s {painting}",
        "sanet -c {photo} -s {painting}",
        "wct -c {photo} -s {painting} --decoders {folder}",
        "cast -c {photo} -s {painting}",
        "arbitrary -c {photo} -s {painting}",
        "fast -c {photo} -s wave",
        "quilt -t {painting} -c {photo}",
        "image-analogy --a {photo} --a-prime {painting} --b {photo}",
        "saae sample --checkpoint {painting}",
        "demo",
    ];

    string[] Args(string template, params string[] more) =>
        [.. template.Replace("{photo}", _photo).Replace("{painting}", _painting).Replace("{folder}", _folder).Split(' '), .. more];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task An_existing_output_is_refused_without_force(string command)
    {
        var run = await CliRun.InvokeAsync(Args(command, "-o", _existing));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("exists: add --force", Assert.Single(run.ErrorLines));
        Assert.Equal("yesterday's result", File.ReadAllText(_existing));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Force_is_declared_with_its_alias_by_every_image_writing_command(string command)
    {
        var root = StyleLabCli.Build(CliConsole.Plain(new StringWriter(), new StringWriter()));
        var parse = root.Parse(Args(command, "-o", _existing, "--overwrite"));
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public async Task Force_replaces_an_existing_output()
    {
        var run = await CliRun.InvokeAsync("quilt", "-t", _painting, "--size", "24", "--block", "8", "-o", _existing, "--force");
        Assert.True(run.ExitCode == 0, run.Error);
        using var result = ImageIO.Load(_existing);
        Assert.Equal(3, result.shape[1]);
    }

    [Fact]
    public async Task An_existing_analogy_report_is_refused_without_force()
    {
        File.WriteAllText(Path.Combine(_folder, "report.html"), "yesterday's report");
        var run = await CliRun.InvokeAsync("analogy", "--a", _photo, "--b", _painting, "-o", _folder);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--force", run.Error);
    }

    [Fact]
    public async Task A_folder_of_photos_is_refused_when_any_result_exists()
    {
        string photos = Directory.CreateDirectory(Path.Combine(_folder, "photos")).FullName, results = Path.Combine(_folder, "results");
        File.Copy(_photo, Path.Combine(photos, "a.png"));
        File.Copy(_photo, Path.Combine(photos, "b.png"));
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "b-wave.png"), "kept");
        var error = Assert.Throws<UsageException>(() => ImageJobs.Plan(photos, results, "wave"));
        Assert.Contains("1 of the 2 output files exist", error.Message);
        Assert.Equal(2, ImageJobs.Plan(photos, results, "wave", force: true).Count);
    }

    public static TheoryData<string> SizedCommands() =>
    [
        "gatys -c {photo} -s {painting} -o {folder}/o.png --size 20000",
        "adain -c {photo} -s {painting} -o {folder}/o.png --size 20000",
        "sanet -c {photo} -s {painting} -o {folder}/o.png --size 20000",
        "wct -c {photo} -s {painting} --decoders {folder} -o {folder}/o.png --size 20000",
        "cast -c {photo} -s {painting} -o {folder}/o.png --size 20000",
        "arbitrary -c {photo} -s {painting} -o {folder}/o.png --size 20000",
        "fast -c {photo} -s wave -o {folder}/o.png --size 20000",
        "quilt -t {painting} -o {folder}/o.png --size 20000",
        "quilt -t {painting} -o {folder}/o.png --width 20000",
        "image-analogy --a {photo} --a-prime {painting} --b {photo} -o {folder}/o.png --size 20000",
        "analogy --a {photo} --b {painting} -o {folder} --size 20000",
        "demo -o {folder}/o.png --size 20000",
        "compare -o {folder} --size 20000",
        "train saae -o {folder}/saae --size 20000",
    ];

    [Theory]
    [MemberData(nameof(SizedCommands))]
    public async Task A_size_above_the_largest_side_is_a_usage_error_naming_the_option_and_the_limit(string command)
    {
        var run = await CliRun.InvokeAsync(Args(command));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.Matches("--(size|width) must be at most 16384 pixels", line);
        Assert.Contains("20000", line);
    }

    [Fact]
    public async Task A_size_below_the_smallest_side_names_the_minimum()
    {
        var run = await CliRun.InvokeAsync("adain", "-c", _photo, "-s", _painting, "-o", Path.Combine(_folder, "o.png"), "--size", "3");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--size must be at least 16 pixels, not 3", run.Error);
    }
}
