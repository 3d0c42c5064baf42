using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.Completion;

namespace StyleLab.Kernel;

/// <summary>complete_request: Roslyn's own completion list at the cursor, narrowed to what was typed.</summary>
internal static class Completion
{
    /// <summary>The complete_reply content for <paramref name="code"/> with the cursor at code point <paramref name="cursorPos"/>.</summary>
    public static async Task<JsonObject> CompleteAsync(SubmissionWorkspace workspace, string code, int cursorPos, CancellationToken cancellationToken)
    {
        int cursor = CodePoints.ToUtf16(code, cursorPos);
        var draft = workspace.Draft(code);
        var document = draft.Document;
        var service = CompletionService.GetService(document);
        var list = service is null ? null : await service.GetCompletionsAsync(document, draft.ToDocument(cursor), cancellationToken: cancellationToken);

        int start = cursor;
        var matches = new List<CompletionItem>();
        if (list is not null)
        {
            start = draft.ToCell(list.Span.Start);
            string typed = code[start..cursor];
            matches = list.ItemsList
                .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(i => !i.FilterText.StartsWith(typed, StringComparison.Ordinal))
                .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        var types = new JsonArray();
        foreach (var item in matches)
            types.Add(new JsonObject
            {
                ["start"] = CodePoints.FromUtf16(code, start),
                ["end"] = cursorPos,
                ["text"] = item.DisplayText,
                ["type"] = Kind(item),
            });
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(matches.Select(i => (JsonNode)i.DisplayText).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, start),
            ["cursor_end"] = cursorPos,
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        };
    }

    /// <summary>JupyterLab's completer icons: "method", "property", "class", …</summary>
    static string Kind(CompletionItem item) =>
        item.Tags.FirstOrDefault(t => t is not ("Public" or "Protected" or "Private" or "Internal"))?.ToLowerInvariant() ?? "";
}
