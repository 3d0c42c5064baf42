namespace StyleLab.Weights;

/// <summary>
/// A tensor as the pickle describes it (<c>torch._utils._rebuild_tensor_v2</c>): a window of
/// size, stride and offset onto a storage.
/// </summary>
/// <remarks>
/// It becomes a real tensor only after the storages are read, because the legacy format
/// writes the storage bytes after the pickle that describes the tensors.
/// </remarks>
internal sealed record TensorRecord(StorageReference Storage, long StorageOffset, long[] Size, long[] Stride);
