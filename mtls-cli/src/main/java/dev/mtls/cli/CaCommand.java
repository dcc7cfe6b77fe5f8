package dev.mtls.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the commands that make CAs. */
@Command(name = "ca", mixinStandardHelpOptions = true,
    description = "Create a development CA, or an intermediate CA under one.",
    subcommands = {CaCreateCommand.class, CaIntermediateCommand.class})
final class CaCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "Missing a subcommand: create or intermediate");
  }
}
