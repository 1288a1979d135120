namespace AutoencoderLab.Reproduction;

/// <summary>One t-SNE map: where it is and how good it is.</summary>
/// <param name="File">CSV of x, y, label, relative to results.json.</param>
/// <param name="Points">Points embedded.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="Kl">Final KL divergence.</param>
/// <param name="KnnAccuracy">Leave-one-out 10-NN label accuracy in the map, in [0, 1].</param>
/// <param name="KnnPreservation">Share of 10 input-space neighbours kept among the 10 map neighbours.</param>
public sealed record TsneSummary(string File, int Points, double Seconds, double Kl, double KnnAccuracy, double KnnPreservation);
