using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// The style contrastive loss of CAST (eq. 4, official <c>InfoNCELoss.forward</c>): for each query q
/// with its positive key k⁺ and the queue's negatives k⁻, −log( exp(q·k⁺/τ) / (exp(q·k⁺/τ) + Σ exp(q·k⁻/τ)) ),
/// averaged over the batch — cross-entropy with the positive as class 0.
/// </summary>
public static class InfoNceLoss
{
    /// <summary>The loss of queries [N,D] against keys [N,D] and negatives [D,K] (not differentiated).</summary>
    public static Tensor Compute(Tensor query, Tensor key, Tensor negatives, double temperature)
    {
        using var scope = NewDisposeScope();
        var positive = (query * key).sum(1, keepdim: true);
        var negative = query.matmul(negatives.detach());
        var logits = cat([positive, negative], 1) / temperature;
        var labels = zeros(query.shape[0], ScalarType.Int64, query.device);
        return F.cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }
}
