package io.donorstream.experiments;

import io.donorstream.report.Png;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What removing sex costs: donor accuracy against how well a probe reads sex from the
 * representation of donors it never saw (0.5 = not at all), one line per model through λ = 0 … 1
 * (means over seeds), the model without any removal as its own point, and on synthetic data the
 * best accuracy any sex-blind classifier can reach.
 */
final class LambdaTradeoffFigure {
  /** One point: a λ (NaN for "no removal"), mean accuracy and mean donor-grouped probe. */
  record Point(float lambda, double accuracy, double probe) {}

  private LambdaTradeoffFigure() {}

  static void write(List<String> models, List<List<Point>> sweeps, List<Point> plain, Double sexBlindBayes, String title, Path png) {
    XYChart c = new XYChartBuilder().width(900).height(620).title(title).xAxisTitle("sex probe balanced accuracy on held-out donors (0.5 = sex unreadable)")
        .yAxisTitle("donor accuracy (test)").build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setMarkerSize(9);
    double[] xr = range(sweeps, plain, Point::probe, 0.5);
    double[] yr = range(sweeps, plain, Point::accuracy, sexBlindBayes == null ? Double.NaN : sexBlindBayes);
    c.getStyler().setXAxisMin(xr[0]).setXAxisMax(xr[1]).setYAxisMin(yr[0]).setYAxisMax(yr[1]);
    double dx = 0.012 * (xr[1] - xr[0]);
    double dy = 0.012 * (yr[1] - yr[0]);
    for (int m = 0; m < models.size(); m++) {
      List<Point> s = sweeps.get(m);
      if (s.isEmpty()) continue;
      c.addSeries(models.get(m) + " + adversary, λ sweep", s.stream().mapToDouble(Point::probe).toArray(),
          s.stream().mapToDouble(Point::accuracy).toArray()).setMarker(SeriesMarkers.CIRCLE);
      for (Point p : s) c.addAnnotation(new AnnotationText("λ " + Variant.format(p.lambda()), p.probe() + 3 * dx, p.accuracy() + dy, false));
      Point none = plain.get(m);
      if (none != null) {
        c.addSeries(models.get(m) + ", no sex removal", new double[] {none.probe()}, new double[] {none.accuracy()}).setMarker(SeriesMarkers.DIAMOND)
            .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
      }
    }
    c.addAnnotation(new AnnotationLine(0.5, true, false));
    if (sexBlindBayes != null) {
      c.addAnnotation(new AnnotationLine(sexBlindBayes, false, false));
      c.addAnnotation(new AnnotationText("sex-blind Bayes-optimal " + String.format("%.3f", sexBlindBayes), xr[0] + 12 * dx, sexBlindBayes + 1.5 * dy, false));
    }
    Png.saveGrid(List.of(c, byLambda(models, sweeps, sexBlindBayes)), 2, png);
  }

  /**
   * The same numbers against λ, one line per model and measure: readable where the trade-off's
   * points crowd together (as when input erasure alone already removes sex).
   */
  private static CategoryChart byLambda(List<String> models, List<List<Point>> sweeps, Double sexBlindBayes) {
    CategoryChart c = new CategoryChartBuilder().width(760).height(620).title("Accuracy and leakage against λ").xAxisTitle("λ (0 = input sex erasure alone)")
        .yAxisTitle("test accuracy / held-out-donor sex probe").build();
    c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    c.getStyler().setOverlapped(true);
    for (int m = 0; m < models.size(); m++) {
      List<Point> s = sweeps.get(m);
      if (s.isEmpty()) continue;
      List<String> xs = s.stream().map(p -> Variant.format(p.lambda())).toList();
      c.addSeries(models.get(m) + " accuracy", xs, s.stream().map(Point::accuracy).toList()).setMarker(SeriesMarkers.CIRCLE);
      c.addSeries(models.get(m) + " sex probe", xs, s.stream().map(Point::probe).toList()).setMarker(SeriesMarkers.DIAMOND);
    }
    c.addAnnotation(new AnnotationLine(0.5, false, false));
    if (sexBlindBayes != null) c.addAnnotation(new AnnotationLine(sexBlindBayes, false, false));
    return c;
  }

  /** Axis bounds that hold every point and the reference value, with a margin. */
  private static double[] range(List<List<Point>> sweeps, List<Point> plain, java.util.function.ToDoubleFunction<Point> f, double reference) {
    java.util.DoubleSummaryStatistics st = new java.util.DoubleSummaryStatistics();
    sweeps.forEach(s -> s.forEach(p -> st.accept(f.applyAsDouble(p))));
    plain.stream().filter(java.util.Objects::nonNull).forEach(p -> st.accept(f.applyAsDouble(p)));
    if (!Double.isNaN(reference)) st.accept(reference);
    double pad = Math.max(0.01, 0.08 * (st.getMax() - st.getMin()));
    return new double[] {st.getMin() - pad, st.getMax() + pad};
  }
}
