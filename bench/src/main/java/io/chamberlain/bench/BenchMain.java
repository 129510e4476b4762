package io.chamberlain.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar chamberlain-bench.jar scenarios|assign …} */
@Command(name = "chamberlain", mixinStandardHelpOptions = true, version = "chamberlain bench 0.1.0",
    description = "Chamberlain assignment tools: full-scale scenario simulation and a scriptable assigner.",
    subcommands = {ScenariosCommand.class, AssignCommand.class})
public final class BenchMain implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
