package dev.mtls.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: access to the context it runs in. */
abstract class CliCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  CliContext context() {
    return ((MtlsCommand) spec.root().userObject()).context();
  }

  PrintWriter out() {
    return context().out();
  }

  PrintWriter err() {
    return context().err();
  }
}
