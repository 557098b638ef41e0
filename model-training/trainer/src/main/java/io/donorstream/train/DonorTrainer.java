package io.donorstream.train;

import io.donorstream.inference.Batches;
import io.donorstream.inference.EncodedCells;
import io.donorstream.inference.Inference;
import io.donorstream.inference.Predictions;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.donorstream.model.DonorNet;
import io.donorstream.model.ModelSpec;
import io.donorstream.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;

/**
 * Trains a {@link DonorNet}: optional contrastive alignment epochs, then classification with
 * AdamW, linear warm-up and cosine decay sized from the real step count, element-wise gradient
 * clipping, the sex adversary's λ ramped from 0, early stopping on the validation loss and the
 * best-on-validation parameters restored at the end.
 *
 * <p>The training cells live on the device for the whole run and each step gathers its rows
 * there; every array a step creates lives in a sub-manager closed with the step. Every random
 * choice comes from the seed: the order and type hiding from a {@link SplittableRandom}, the
 * initial weights, dropout and input noise from libtorch's generator, seeded at the start.
 */
public final class DonorTrainer {
  private final TrainSettings s;
  private final boolean showProgress;
  private final Consumer<String> log;
  private final EpochListener listener;
  private Model current;

  public DonorTrainer(TrainSettings settings, boolean showProgress, Consumer<String> log) {
    this(settings, showProgress, log, EpochListener.NONE);
  }

  public DonorTrainer(TrainSettings settings, boolean showProgress, Consumer<String> log, EpochListener listener) {
    this.s = settings;
    this.showProgress = showProgress;
    this.log = log;
    this.listener = listener;
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

  /** The model being trained (for diagnostics such as counting live arrays), or null. */
  public Model currentModel() {
    return current;
  }

  public TrainedModel train(ModelSpec spec, Batches train, Batches validation) {
    Engine.getEngine("PyTorch").setRandomSeed((int) s.seed());
    Model model = Model.newInstance("donor-" + spec.architecture(), device(s.device()), "PyTorch");
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
    NDManager manager = model.getNDManager();
    net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    net.initialize(manager, DataType.FLOAT32, net.inputShapes(2));
    long start = System.nanoTime();
    List<EpochRecord> history = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(s.seed());
    ParameterStore ps = new ParameterStore(manager, false);
    float[] classWeights = s.classWeights() ? classWeights(train.cells(), spec.donors()) : null;
    ParameterSnapshot best = null;
    int bestEpoch = 0;
    int epochsRun = 0;
    try (FlatParameters flat = new FlatParameters(net, manager); ResidentCells cells = new ResidentCells(train, manager, classWeights)) {
      int stepsPerEpoch = Math.max(1, cells.size() / s.batchSize() + (cells.size() % s.batchSize() >= 2 ? 1 : 0));
      Epochs epochs = new Epochs(net, spec, cells, validation, flat, ps, rng);
      if (s.alignEpochs() > 0 && spec.isMultimodal()) {
        try (AdamW opt = optimizer(flat, manager, schedule(s.alignEpochs() * stepsPerEpoch))) {
          for (int e = 1; e <= s.alignEpochs(); e++) history.add(epochs.run(opt, Phase.ALIGN, e, s.alignEpochs(), 0));
        }
      }
      int totalSteps = s.epochs() * stepsPerEpoch;
      double bestLoss = Double.POSITIVE_INFINITY;
      // At the peak rate the validation loss wanders on a plateau for several epochs and falls once the
      // rate anneals (seed-cns: runs stopped at epochs 14-29 had their best epochs at the end once let
      // anneal, validation accuracy +0.8 to +1.1 points; docs/removing-sex.md): patience runs out
      // only in the schedule's last fifth.
      LearningRateSchedule schedule = schedule(totalSteps);
      int earliestStop = schedule.firstAnnealedEpoch(stepsPerEpoch);
      try (AdamW opt = optimizer(flat, manager, schedule)) {
        for (int e = 1; e <= s.epochs(); e++) {
          EpochRecord r = epochs.run(opt, Phase.CLASSIFY, e, s.epochs(), totalSteps);
          history.add(r);
          epochsRun = e;
          // With an adversary, a checkpoint from before λ reached its target would still leak sex:
          // select only among epochs trained at full strength.
          if (spec.adversarial() && r.lambda() < 0.99 * s.lambda()) continue;
          // Selected on the validation loss, not accuracy: on a few hundred validation cells the epoch
          // of highest accuracy is partly the luckiest one (OneK1K, multimodal: test accuracy 0.350
          // selected by accuracy, 0.370 by loss, over seeds 1-3; docs/removing-sex.md).
          if (r.validationLoss() < bestLoss) {
            bestLoss = r.validationLoss();
            bestEpoch = e;
            if (best != null) best.close();
            best = new ParameterSnapshot(net, manager);
          } else if (e - bestEpoch >= s.patience() && e >= earliestStop) {
            log.accept(String.format("early stop after epoch %d: validation loss has not improved for %d epochs (best %.4f at epoch %d)",
                e, s.patience(), bestLoss, bestEpoch));
            break;
          }
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

  private LearningRateSchedule schedule(int totalSteps) {
    return LearningRateSchedule.of(s.learningRate(), s.warmupFraction(), totalSteps);
  }

  private AdamW optimizer(FlatParameters flat, NDManager manager, LearningRateSchedule schedule) {
    return new AdamW(List.of(flat.flat()), manager, schedule, s.weightDecay(),
        s.clipGrad());
  }

  enum Phase {
    ALIGN("align"),
    CLASSIFY("classify");

    final String label;

    Phase(String label) {
      this.label = label;
    }
  }

  /** The epochs of one run: what they share (network, cells, generator) and how one goes. */
  private final class Epochs {
    private final DonorNet net;
    private final ModelSpec spec;
    private final ResidentCells cells;
    private final Batches validation;
    private final FlatParameters flat;
    private final ParameterStore ps;
    private final SplittableRandom rng;
    private int classifySteps;

    Epochs(DonorNet net, ModelSpec spec, ResidentCells cells, Batches validation, FlatParameters flat, ParameterStore ps,
        SplittableRandom rng) {
      this.net = net;
      this.spec = spec;
      this.cells = cells;
      this.validation = validation;
      this.flat = flat;
      this.ps = ps;
      this.rng = rng;
    }

    EpochRecord run(AdamW opt, Phase phase, int epoch, int epochs, int totalSteps) {
      long t0 = System.nanoTime();
      NDManager manager = ps.getManager();
      RunningLoss loss;
      RunningLoss sexLoss;
      double lambda = 0;
      try (NDManager epochArrays = manager.newSubManager()) {
        EpochOrder order = cells.epoch(rng, s.unknownTypeRate(), s.batchSize(), epochArrays);
        loss = new RunningLoss(epochArrays);
        sexLoss = new RunningLoss(epochArrays);
        int steps = order.steps();
        try (ProgressBar bar = showProgress ? Progress.bar(String.format("%s %d/%d", phase.label, epoch, epochs), steps, "steps") : null) {
          for (int step = 0; step < steps; step++) {
            lambda = phase == Phase.ALIGN ? 0 : lambdaAt(classifySteps++, totalSteps);
            net.setAdversaryLambda((float) lambda);
            try (NDManager m = manager.newSubManager()) {
              step(cells.batch(order, step, m), phase, (float) lambda, loss, sexLoss, m);
              opt.step(List.of(flat.gradient()));
            }
            if ((step + 1) % READ_BACK_STEPS == 0 || step == steps - 1) {
              int from = loss.stepsAtLastRead();
              if (!loss.readFinite()) throw new TrainingDiverged(phase.label, epoch, from, step, s);
              if (bar != null) bar.stepTo(step + 1).setExtraMessage(String.format(" loss %.4f", loss.windowMean()));
            }
          }
        }
        sexLoss.readFinite();
      }
      boolean adversaryRan = spec.adversarial() && phase == Phase.CLASSIFY;
      double stepSeconds = (System.nanoTime() - t0) / 1e9;
      Predictions val = Inference.predict(net, ps, manager, validation);
      double acc = val.accuracy(validation.cells().donor());
      EpochRecord r = new EpochRecord(phase.label, epoch, loss.mean(), val.meanLoss(), acc, opt.learningRate(), lambda,
          (System.nanoTime() - t0) / 1e9, stepSeconds, adversaryRan ? sexLoss.mean() : null);
      // Lambda and the adversary's loss mean something only with an adversary.
      String adversary = adversaryRan
          ? String.format(" lambda=%.3f adversary_bce=%.4f (0.693 = sex unreadable)", lambda, sexLoss.mean()) : "";
      log.accept(String.format("%s epoch %d/%d: train_loss=%.4f val_loss=%.4f val_accuracy=%.4f%s (%.1f s)",
          phase.label, epoch, epochs, r.trainLoss(), r.validationLoss(), r.validationAccuracy(), adversary, r.seconds()));
      listener.epochDone(r);
      return r;
    }

    /** Forward, loss and backward for one batch; the losses are added to the running sums. */
    private void step(StepBatch b, Phase phase, float lambda, RunningLoss loss, RunningLoss sexLoss, NDManager m) {
      NDList inputs = s.inputNoise() > 0
          ? new NDList(b.gene().add(m.randomNormal(0, s.inputNoise(), b.gene().getShape(), DataType.FLOAT32)), b.typeRow(), b.typeTable())
          : b.inputs();
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDList out = net.forward(flat.viewsFor(m), inputs, true);
        NDArray l;
        if (phase == Phase.ALIGN) {
          l = Losses.infoNce(out.get(DonorNet.GENE_VEC), out.get(DonorNet.TEXT_VEC), out.get("logit_scale_exp"),
              sameTypePositives(b.trueType(), m));
        } else {
          l = Losses.crossEntropy(out.get(DonorNet.LOGITS), b.donor(), b.weight());
          if (spec.adversarial()) {
            // The reversal layer already hands the encoder -λ·∂BCE; the head itself learns at full rate.
            NDArray bce = Losses.binaryCrossEntropy(out.get(DonorNet.SEX_LOGIT), b.female(), b.sexKnown());
            sexLoss.add(bce);
            l = l.add(bce);
          }
        }
        gc.backward(l);
        loss.add(l);
      }
    }
  }

  /** 1 where two cells of the batch share a known cell type, and on the diagonal. */
  static NDArray sameTypePositives(NDArray trueType, NDManager m) {
    int b = (int) trueType.getShape().get(0);
    NDArray row = trueType.reshape(-1, 1);
    NDArray same = row.eq(trueType.reshape(1, -1)).logicalAnd(row.gte(0));
    return same.logicalOr(m.eye(b).toType(DataType.BOOLEAN, false)).toType(DataType.FLOAT32, false);
  }

  /** Losses are read back to Java (progress, divergence check) every this many steps. */
  static final int READ_BACK_STEPS = 25;

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

  private static float[] classWeights(EncodedCells cells, int donors) {
    int[] counts = new int[donors];
    for (int d : cells.donor()) counts[d]++;
    float[] w = new float[donors];
    for (int d = 0; d < donors; d++) w[d] = counts[d] == 0 ? 0f : (float) cells.size() / (donors * counts[d]);
    return w;
  }
}
