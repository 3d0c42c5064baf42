using StyleLab.Training;

namespace StyleLab.Tests.Training;

public class LossHistoryTests
{
    [Fact]
    public void History_keeps_each_term_as_a_series_by_step()
    {
        var history = new LossHistory();
        int updates = 0;
        history.Updated += (_, _) => updates++;
        history.Add(1, new Dictionary<string, double> { ["content"] = 4, ["style"] = 9 });
        history.Add(2, new Dictionary<string, double> { ["content"] = 3, ["style"] = 5, ["tv"] = 1 });

        Assert.Equal(new[] { 1, 2 }, history.Steps);
        Assert.Equal(new[] { "content", "style", "tv" }, history.Names);
        Assert.Equal(new[] { (1, 9.0), (2, 5.0) }, history.Series("style"));
        Assert.Equal(new[] { (2, 1.0) }, history.Series("tv"));
        Assert.Empty(history.Series("missing"));
        Assert.Equal(3, history.Last["content"]);
        Assert.Equal(2, updates);
        Assert.Throws<ArgumentException>(() => history.Add(2, new Dictionary<string, double>()));
    }

    [Fact]
    public void Readers_on_other_threads_always_see_whole_steps()
    {
        var history = new LossHistory();
        var writer = Task.Run(() =>
        {
            for (int step = 1; step <= 2000; step++)
                history.Add(step, new Dictionary<string, double> { ["a"] = step, ["b"] = -step });
        });
        while (!writer.IsCompleted)
        {
            var a = history.Series("a");
            Assert.Equal(Enumerable.Range(1, a.Count), a.Select(p => p.Step));
        }
        writer.Wait();
        Assert.Equal(2000, history.Series("b").Count);
    }
}
