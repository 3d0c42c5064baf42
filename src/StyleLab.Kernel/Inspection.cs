using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.QuickInfo;

namespace StyleLab.Kernel;

/// <summary>inspect_request (Shift+Tab): the signature and documentation of the symbol at the cursor.</summary>
internal static class Inspection
{
    /// <summary>The inspect_reply content; <c>found</c> is false when the cursor is on nothing with a description.</summary>
    public static async Task<JsonObject> InspectAsync(SubmissionWorkspace workspace, string code, int cursorPos, CancellationToken cancellationToken)
    {
        int cursor = CodePoints.ToUtf16(code, cursorPos);
        var draft = workspace.Draft(code);
        var document = draft.Document;
        var service = QuickInfoService.GetService(document);
        QuickInfoItem? info = null;
        // Jupyter puts the cursor just after the name ("Math.Max|"); Roslyn looks at the token under it.
        foreach (int position in new[] { cursor, cursor - 1 }.Where(p => p >= 0).Distinct())
        {
            if (service is null) break;
            info = await service.GetQuickInfoAsync(document, draft.ToDocument(position), cancellationToken);
            if (info is { Sections.Length: > 0 }) break;
        }

        var data = new JsonObject();
        if (info is { Sections.Length: > 0 })
        {
            string signature = Section(info, QuickInfoSectionKinds.Description);
            string documentation = Section(info, QuickInfoSectionKinds.DocumentationComments);
            var rest = info.Sections
                .Where(s => s.Kind is not (QuickInfoSectionKinds.Description or QuickInfoSectionKinds.DocumentationComments))
                .Select(s => s.Text.ReplaceLineEndings("\n").Trim()).Where(t => t.Length > 0);
            string plain = string.Join("\n\n", new[] { signature, documentation }.Concat(rest).Where(t => t.Length > 0));
            data["text/plain"] = plain;
            data["text/markdown"] = $"```csharp\n{signature}\n```" + (documentation.Length > 0 ? $"\n\n{documentation}" : "");
        }
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = data.Count > 0,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        };
    }

    static string Section(QuickInfoItem info, string kind) =>
        (info.Sections.FirstOrDefault(s => s.Kind == kind)?.Text ?? "").ReplaceLineEndings("\n");
}
