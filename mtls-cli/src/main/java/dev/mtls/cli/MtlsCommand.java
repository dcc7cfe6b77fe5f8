package dev.mtls.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top of the command tree. Each subcommand is its own class; a new one (a server, a demo) is
 * added to the {@code subcommands} list below and finds the {@link CliContext} through
 * {@link CliCommand#context()}.
 */
@Command(
    name = "mtls",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Mutual TLS from the command line: a development CA, certificates for servers and clients,",
        "inspection, verification and probing, built on the mtls library."},
    subcommands = {
        CaCommand.class,
        IssueCommand.class,
        CsrCommand.class,
        RevokeCommand.class,
        CrlCommand.class,
        ConvertCommand.class,
        InspectCommand.class,
        VerifyCommand.class,
        ProbeCommand.class,
        OcspResponderCommand.class,
        ServeCommand.class,
        DemoCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success",
        "  1  a verdict against the input: verification failed, handshake rejected, request denied",
        "  2  usage or input error: bad flag, unreadable or malformed file, wrong password",
        "  3  environment error: port in use, connection refused, timeout, internal error",
        "",
        "Passwords come from --password-file FILE, the MTLS_PASSWORD environment variable, or",
        "standard input with --password-stdin; never required on the command line."})
final class MtlsCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces with errors, and the library's log on standard error.")
  boolean verbose;

  MtlsCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  /** Without a command: the usage on standard error, and exit code 2. */
  @Override
  public Integer call() {
    context.err().println("mtls: missing a command");
    spec.commandLine().usage(context.err());
    return ExitCodes.USAGE;
  }
}
