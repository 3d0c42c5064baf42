namespace StyleLab.Runtime;

/// <summary>Work was refused because its estimated peak memory is above the <see cref="MemoryBudget"/>.</summary>
public sealed class MemoryBudgetException(long neededBytes, long budgetBytes, string message) : Exception(message)
{
    /// <summary>The estimated peak of the refused work.</summary>
    public long NeededBytes { get; } = neededBytes;

    /// <summary>The budget it was checked against.</summary>
    public long BudgetBytes { get; } = budgetBytes;
}
