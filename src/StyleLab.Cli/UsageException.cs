namespace StyleLab.Cli;

/// <summary>The command line itself is wrong (a bad option value): exit code 2, like a parse error.</summary>
public sealed class UsageException(string message, Exception? innerException = null) : Exception(message, innerException);
