using TorchSharp;

namespace StyleLab.Weights;

/// <summary>
/// A storage that a checkpoint's pickle refers to by persistent id: which record holds its
/// bytes, their element type, and how many elements tensors may address.
/// </summary>
/// <param name="Key">The storage record's name (a zip entry under <c>data/</c>, or a legacy storage key).</param>
/// <param name="DType">The element type, from the storage class (<c>torch.FloatStorage</c> → float32).</param>
/// <param name="ElementCount">Elements visible through this reference.</param>
/// <param name="ElementOffset">
/// Where this reference starts inside the record; non-zero only for the storage views that
/// the legacy format could write (<c>view_metadata</c>).
/// </param>
internal sealed record StorageReference(string Key, torch.ScalarType DType, long ElementCount, long ElementOffset = 0);
