package io.donorstream.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import ai.djl.util.Pair;
import io.donorstream.model.DonorNet;
import io.donorstream.model.ModelSpec;
import io.donorstream.model.NativeScalars;
import io.donorstream.progress.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;

/**
 * Trains a {@link DonorNet}: optional contrastive alignment epochs, then classification with
 * AdamW, linear warm-up and cosine decay sized from the real step count, element-wise gradient
 * clipping, the sex adversary's λ ramped from 0, early stopping on validation accuracy and the
 * best-on-validation parameters restored at the end. Every step's arrays live in a sub-manager
 * that is closed with the step.
 */
public final class DonorTrainer {
  private final TrainSettings s;
  private final boolean showProgress;
  private final Consumer<String> log;

  public DonorTrainer(TrainSettings settings, boolean showProgress, Consumer<String> log) {
    this.s = settings;
    this.showProgress = showProgress;
    this.log = log;
  }

  public static Device device(String requested) {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    return switch (requested) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (gpus == 0) throw new IllegalArgumentException("--device gpu, but PyTorch sees no GPU (see README: GPU training)");
        yield Device.gpu();
      }
      default -> gpus > 0 ? Device.gpu() : Device.cpu();
    };
  }

  private Model current;

  /** The model being trained (for diagnostics such as counting live arrays), or null. */
  public Model currentModel() {
    return current;
  }

  public TrainedModel train(ModelSpec spec, Batches train, Batches validation) {
    Engine.getEngine("PyTorch").setRandomSeed((int) s.seed());
    Device device = device(s.device());
    Model model = Model.newInstance("donor-" + spec.architecture(), device, "PyTorch");
    current = model;
    try {
      return trainInto(model, spec, train, validation);
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
  }

  private TrainedModel trainInto(Model model, ModelSpec spec, Batches train, Batches validation) {
    DonorNet net = DonorNet.build(spec);
    model.setBlock(net);
    long start = System.nanoTime();
    List<EpochRecord> history = new ArrayList<>();
    float[] classWeights = s.classWeights() ? classWeights(train.cells(), spec.donors()) : null;
    SplittableRandom rng = new SplittableRandom(s.seed());
    int stepsPerEpoch = (train.cells().size() + s.batchSize() - 1) / s.batchSize();

    if (s.alignEpochs() > 0 && spec.isMultimodal()) {
      try (Trainer trainer = newTrainer(model, net, s.alignEpochs() * stepsPerEpoch)) {
        for (int e = 1; e <= s.alignEpochs(); e++) {
          history.add(runEpoch(trainer, net, spec, train, validation, rng, classWeights, "align", e, s.alignEpochs(), 0, 0));
        }
      }
    }
    int totalSteps = s.epochs() * stepsPerEpoch;
    ParameterSnapshot best = null;
    double bestAccuracy = -1;
    int bestEpoch = 0;
    int epochsRun = 0;
    try (Trainer trainer = newTrainer(model, net, totalSteps)) {
      for (int e = 1; e <= s.epochs(); e++) {
        EpochRecord r = runEpoch(trainer, net, spec, train, validation, rng, classWeights, "classify", e, s.epochs(),
            (e - 1) * stepsPerEpoch, totalSteps);
        history.add(r);
        epochsRun = e;
        // With an adversary, a checkpoint from before λ reached its target would still leak sex:
        // select only among epochs trained at full strength.
        if (spec.adversarial() && r.lambda() < 0.99 * s.lambda()) {
          continue;
        }
        if (r.validationAccuracy() > bestAccuracy) {
          bestAccuracy = r.validationAccuracy();
          bestEpoch = e;
          if (best != null) best.close();
          best = new ParameterSnapshot(net, model.getNDManager());
        } else if (e - bestEpoch >= s.patience()) {
          log.accept(String.format("early stop after epoch %d: validation accuracy has not improved for %d epochs (best %.4f at epoch %d)",
              e, s.patience(), bestAccuracy, bestEpoch));
          break;
        }
      }
    }
    if (best == null) {
      bestEpoch = epochsRun;
    } else {
      best.restoreInto(net);
      best.close();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new TrainedModel(model, net, history, bestEpoch, epochsRun, seconds);
  }

  private Tracker learningRate;
  private double sexLossSum;
  private double lambdaNow;

  private Trainer newTrainer(Model model, DonorNet net, int totalSteps) {
    int warmup = Math.max(1, Math.round(totalSteps * s.warmupFraction()));
    Tracker cosine = CosineTracker.builder().setBaseValue(s.learningRate()).optFinalValue(s.learningRate() * 0.01f)
        .setMaxUpdates(Math.max(1, totalSteps - warmup)).build();
    Tracker lr = WarmUpTracker.builder().setMainTracker(cosine).optWarmUpSteps(warmup).optWarmUpBeginValue(s.learningRate() * 0.01f).build();
    learningRate = lr;
    Optimizer adamW = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(s.weightDecay()).optClipGrad(s.clipGrad()).build();
    DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(adamW)
        .optDevices(new Device[] {model.getNDManager().getDevice()})
        .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    Trainer trainer = model.newTrainer(cfg);
    if (!net.isInitialized()) {
      trainer.initialize(net.inputShapes(2));
    }
    return trainer;
  }

  private EpochRecord runEpoch(Trainer trainer, DonorNet net, ModelSpec spec, Batches train, Batches validation,
      SplittableRandom rng, float[] classWeights, String phase, int epoch, int epochs, int stepOffset, int totalSteps) {
    long t0 = System.nanoTime();
    int n = train.cells().size();
    int[] order = shuffled(n, rng);
    int steps = (n + s.batchSize() - 1) / s.batchSize();
    double lossSum = 0;
    double lambda = 0;
    sexLossSum = 0;
    String task = String.format("%s %d/%d", phase, epoch, epochs);
    try (ProgressBar bar = showProgress ? Progress.bar(task, steps, "steps") : null) {
      for (int step = 0; step < steps; step++) {
        int from = step * s.batchSize();
        int to = Math.min(n, from + s.batchSize());
        if (to - from < 2) continue;
        lambda = phase.equals("align") ? 0 : lambdaAt(stepOffset + step, totalSteps);
        net.setAdversaryLambda((float) lambda);
        lambdaNow = lambda;
        try (NDManager m = trainer.getManager().newSubManager()) {
          NDList in = train.inputs(m, order, from, to, s.unknownTypeRate(), s.inputNoise(), rng);
          float loss;
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(in);
            NDArray l = phase.equals("align")
                ? Losses.infoNce(out.get(DonorNet.GENE_VEC), out.get(DonorNet.TEXT_VEC), out.get("logit_scale_exp"),
                    train.sameType(m, order, from, to))
                : classificationLoss(out, train, m, order, from, to, spec, classWeights);
            gc.backward(l);
            loss = l.getFloat();
            if (!Float.isFinite(loss)) throw new TrainingDiverged(phase, epoch, step, loss, s);
          }
          trainer.step();
          lossSum += loss;
          if (bar != null) bar.step().setExtraMessage(String.format(" loss %.4f", loss));
        }
      }
    }
    Predictions val = Inference.predict(net, new ai.djl.training.ParameterStore(trainer.getManager(), false), trainer.getManager(), validation);
    double acc = accuracy(val, validation.cells().donor());
    double lr = learningRate.getNewValue(phase.equals("align") ? (epoch) * steps : stepOffset + steps);
    EpochRecord r = new EpochRecord(phase, epoch, lossSum / steps, val.meanLoss(), acc, lr, lambda, (System.nanoTime() - t0) / 1e9);
    String adversary = spec.adversarial() && phase.equals("classify")
        ? String.format(" adversary_bce=%.4f (0.693 = sex unreadable)", sexLossSum / steps) : "";
    log.accept(String.format("%s epoch %d/%d: train_loss=%.4f val_loss=%.4f val_accuracy=%.4f lambda=%.3f%s (%.1f s)",
        phase, epoch, epochs, r.trainLoss(), r.validationLoss(), r.validationAccuracy(), lambda, adversary, r.seconds()));
    return r;
  }

  private NDArray classificationLoss(NDList out, Batches train, NDManager m, int[] order, int from, int to, ModelSpec spec,
      float[] classWeights) {
    NDArray loss = Losses.crossEntropy(out.get(DonorNet.LOGITS), train.donorOneHot(m, order, from, to, spec.donors()),
        train.weights(m, order, from, to, classWeights));
    if (spec.adversarial()) {
      // The reversal layer already hands the encoder -λ·∂BCE; the head itself learns at full rate.
      NDList sex = train.sex(m, order, from, to);
      NDArray bce = Losses.binaryCrossEntropy(out.get(DonorNet.SEX_LOGIT), sex.get(0), sex.get(1));
      sexLossSum += bce.getFloat();
      loss = loss.add(bce);
      NDArray gap = Losses.sexMeanGap(out.get(DonorNet.LATENT), sex.get(0), sex.get(1));
      loss = loss.add(NativeScalars.times(gap, (float) lambdaNow));
    }
    return loss;
  }

  /** Share of training over which λ ramps up. */
  static final double LAMBDA_RAMP = 0.25;

  /**
   * λ ramps from 0 to its target with DANN's schedule 2/(1+exp(-10p)) - 1, p running from 0 to 1
   * over the first quarter of training, and is then held (reaching it exactly once the curve is
   * within 1%).
   */
  double lambdaAt(int step, int totalSteps) {
    double p = totalSteps == 0 ? 1 : Math.min(1.0, step / (LAMBDA_RAMP * totalSteps));
    double ramp = 2 / (1 + Math.exp(-10 * p)) - 1;
    return s.lambda() * (ramp > 0.99 ? 1.0 : ramp);
  }

  static double accuracy(Predictions p, int[] donors) {
    int correct = 0;
    for (int i = 0; i < p.n(); i++) if (p.predicted(i) == donors[i]) correct++;
    return p.n() == 0 ? 0 : (double) correct / p.n();
  }

  private static float[] classWeights(EncodedCells cells, int donors) {
    int[] counts = new int[donors];
    for (int d : cells.donor()) counts[d]++;
    float[] w = new float[donors];
    for (int d = 0; d < donors; d++) w[d] = counts[d] == 0 ? 0f : (float) cells.size() / (donors * counts[d]);
    return w;
  }

  private static int[] shuffled(int n, SplittableRandom rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

}
