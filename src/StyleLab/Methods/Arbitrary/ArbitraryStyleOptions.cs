namespace StyleLab.Methods.Arbitrary;

/// <summary>Which Magenta files to use and how to run them.</summary>
/// <param name="PredictorFile">The style prediction network (the int8 MobileNet-v2 Magenta publishes).</param>
/// <param name="TransformerFile">The style transformer (float16 weights; the int8 variants need an int8 interpreter).</param>
/// <param name="SimulateInt8">
/// Round the predictor's activations to the int8 grids of the quantised model, so bottlenecks are what
/// TFLite computes (off: the float network the int8 one approximates; bottlenecks move by up to ~0.6).
/// </param>
/// <param name="StyleSize">Style images are centre-cropped to a square and resized to this (the predictor's 256).</param>
public sealed record ArbitraryStyleOptions(
    string PredictorFile = "style_predict_quantized_256.tflite",
    string TransformerFile = "style_transfer_f16_384.tflite",
    bool SimulateInt8 = true,
    int StyleSize = StylePredictionNetwork.TrainedSize);
