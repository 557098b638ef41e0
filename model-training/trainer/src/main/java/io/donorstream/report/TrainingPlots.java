package io.donorstream.report;

import io.donorstream.train.EpochRecord;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of a training run: loss and accuracy curves, the confusion matrix. */
public final class TrainingPlots {
  private TrainingPlots() {}

  public static void curves(List<EpochRecord> history, String title, Path png) {
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("epoch").yAxisTitle("value").build();
    List<EpochRecord> cls = history.stream().filter(r -> r.phase().equals("classify")).toList();
    List<EpochRecord> align = history.stream().filter(r -> r.phase().equals("align")).toList();
    if (!align.isEmpty()) {
      chart.addSeries("alignment loss (InfoNCE)", x(align, -align.size()), align.stream().mapToDouble(EpochRecord::trainLoss).toArray())
          .setMarker(SeriesMarkers.NONE);
    }
    if (!cls.isEmpty()) {
      double[] xs = x(cls, 0);
      chart.addSeries("train loss", xs, cls.stream().mapToDouble(EpochRecord::trainLoss).toArray()).setMarker(SeriesMarkers.NONE);
      chart.addSeries("validation loss", xs, cls.stream().mapToDouble(EpochRecord::validationLoss).toArray()).setMarker(SeriesMarkers.NONE);
      chart.addSeries("validation accuracy", xs, cls.stream().mapToDouble(EpochRecord::validationAccuracy).toArray()).setMarker(SeriesMarkers.NONE);
      if (cls.stream().anyMatch(r -> r.lambda() > 0)) {
        chart.addSeries("adversary lambda", xs, cls.stream().mapToDouble(EpochRecord::lambda).toArray()).setMarker(SeriesMarkers.NONE);
      }
    }
    save(chart, png);
  }

  private static double[] x(List<EpochRecord> rs, int offset) {
    double[] xs = new double[rs.size()];
    for (int i = 0; i < xs.length; i++) xs[i] = rs.get(i).epoch() + (offset < 0 ? offset : 0);
    return xs;
  }

  /** Row-normalised confusion matrix (true donor rows, predicted columns), donors labelled with sex. */
  public static void confusion(int[][] cm, List<String> labels, String title, Path png) {
    int k = labels.size();
    List<String> xs = labels;
    List<String> ys = labels;
    Number[][] z = new Number[k * k][];
    int idx = 0;
    for (int t = 0; t < k; t++) {
      int row = 0;
      for (int p = 0; p < k; p++) row += cm[t][p];
      for (int p = 0; p < k; p++) z[idx++] = new Number[] {p, t, row == 0 ? 0 : Math.round(1000.0 * cm[t][p] / row) / 1000.0};
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(200 + 40 * k).height(150 + 40 * k).title(title).xAxisTitle("predicted")
        .yAxisTitle("true").build();
    chart.getStyler().setShowValue(k <= 20);
    chart.getStyler().setXAxisLabelRotation(90);
    chart.addSeries("share of true donor", xs, ys, java.util.Arrays.asList(z));
    save(chart, png);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
    Png.save(chart, png);
  }
}
