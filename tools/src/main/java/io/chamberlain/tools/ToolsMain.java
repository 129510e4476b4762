package io.chamberlain.tools;

import io.chamberlain.cluster.CommandErrors;
import io.chamberlain.tools.collector.CollectorCommand;
import io.chamberlain.tools.defense.DefenseBenchCommand;
import io.chamberlain.tools.defense.DefenseQualityCommand;
import io.chamberlain.tools.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The tools jar ({@code tools/target/chamberlain-tools.jar}): what runs beside a cluster, never in it
 * — the demo supervisor, the simulated data collector, and the defense process's benchmark and quality
 * figures. The node jars carry none of them ({@code NodeJarsCarryNoToolTest}); {@code bin/chamberlain}
 * runs each subcommand from here.
 */
@Command(name = "chamberlain-tools", mixinStandardHelpOptions = true, version = "chamberlain tools 0.1.0",
    description = "Tools beside a Chamberlain cluster: a demo cluster, a simulated collector, defense figures.",
    subcommands = {DemoCommand.class, CollectorCommand.class, DefenseBenchCommand.class, DefenseQualityCommand.class})
public final class ToolsMain implements Runnable {

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(CommandErrors.commandLine(new ToolsMain()).execute(args));
  }

  /** No subcommand: says which there are. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a tool is needed: "
        + String.join(", ", spec.subcommands().keySet()));
  }
}
