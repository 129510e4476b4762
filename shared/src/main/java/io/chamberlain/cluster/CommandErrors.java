package io.chamberlain.cluster;

import picocli.CommandLine;

/**
 * How every {@code chamberlain} command reports a failure: one line per cause, naming what was
 * wrong (a bad config value, an unreachable server), without a stack trace unless
 * {@code CHAMBERLAIN_DEBUG} is set. Exit code 1.
 */
public final class CommandErrors implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
    String name = command.getCommandName();
    Throwable cause = failure;
    String last = null;
    while (cause != null) {
      String message = cause.getMessage();
      if (message != null && !message.equals(last) && !(cause instanceof java.util.concurrent.ExecutionException)) {
        System.err.println(name + ": " + (last == null ? "" : "caused by: ") + message);
        last = message;
      }
      cause = cause.getCause();
    }
    if (last == null) {
      System.err.println(name + ": failed: " + failure);
    }
    if (System.getenv("CHAMBERLAIN_DEBUG") != null) {
      failure.printStackTrace();
    }
    return 1;
  }

  /** A picocli command line that reports failures this way. */
  public static CommandLine commandLine(Object command) {
    return new CommandLine(command).setExecutionExceptionHandler(new CommandErrors());
  }
}
