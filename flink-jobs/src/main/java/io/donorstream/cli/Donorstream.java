package io.donorstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ./donorstream} command line. */
@Command(
    name = "donorstream",
    mixinStandardHelpOptions = true,
    versionProvider = BuildVersion.class,
    description = {"Identify the donor of single cells in real time, and watch the model's honesty.", ""},
    footer = {"", "Run './donorstream <command> --help' for a command's options."})
public final class Donorstream implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Donorstream());
    cl.addSubcommand("demo", new DemoCommand());
    cl.addSubcommand("kafka", new KafkaCommand());
    cl.addSubcommand("generate", new GenerateCommand());
    cl.addSubcommand("train", new TrainCommand());
    cl.addSubcommand("compare", new CompareCommand());
    cl.addSubcommand("tune", new TuneCommand());
    cl.addSubcommand("publish", new PublishCommand());
    cl.addSubcommand("predict", new PredictCommand());
    cl.addSubcommand("score", new ScoreCommand());
    cl.addSubcommand("monitor", new MonitorCommand());
    cl.addSubcommand("retrain-service", new RetrainServiceCommand());
    cl.addSubcommand("models", new ModelsCommand());
    cl.addSubcommand("bench", new BenchCommand());
    cl.setUsageHelpWidth(110);
    giveVersion(cl, new BuildVersion());
    return CliExceptionHandler.install(cl);
  }

  /** Every command and subcommand answers --version with the build's version. */
  private static void giveVersion(CommandLine cl, BuildVersion version) {
    cl.getCommandSpec().versionProvider(version);
    for (CommandLine sub : cl.getSubcommands().values()) giveVersion(sub, version);
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
