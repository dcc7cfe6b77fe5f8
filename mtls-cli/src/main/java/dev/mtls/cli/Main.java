package dev.mtls.cli;

import dev.mtls.pki.PkiException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code mtls} command's entry point: a development CA, inspection and verification of
 * certificates, and probing of TLS servers. Run {@code mtls --help} for the commands.
 *
 * <p>Exit codes: 0 success; 1 a verdict against the input (verification failed, handshake
 * rejected, request denied); 2 a usage or input error (bad flag, unreadable or malformed file,
 * wrong password); 3 an environment error (port in use, connection refused, timeout, internal
 * error). Results go to standard output, errors to standard error in one line; {@code --verbose}
 * adds the stack trace.
 */
public final class Main {
  private static final int USAGE_WIDTH = 100;

  private Main() {}

  /**
   * Runs the command and exits the JVM with its exit code. Server commands run until the process
   * is stopped.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
    CliContext context = new CliContext(out, err, System.getenv(), System.in);
    Runtime.getRuntime().addShutdownHook(new Thread(context::stop, "mtls-shutdown"));
    int code = run(context, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line in the given context and returns its exit code. */
  static int run(CliContext context, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    Logging.configure(verbose);
    CommandLine commandLine = commandLine(context);
    commandLine.setParameterExceptionHandler((ParameterException e, String[] ignored) -> {
      String command = e.getCommandLine().getCommandSpec().qualifiedName();
      context.err().println(command + ": " + e.getMessage() + " (see " + command + " --help)");
      if (verbose) {
        e.printStackTrace(context.err());
      }
      context.err().flush();
      return ExitCodes.USAGE;
    });
    commandLine.setExecutionExceptionHandler((Exception e, CommandLine failed, ParseResult parsed) ->
        report(context, failed.getCommandSpec().qualifiedName(), e, verbose));
    int code = commandLine.execute(args);
    context.out().flush();
    context.err().flush();
    return code;
  }

  /** The command tree, with its output going to the context's streams. */
  static CommandLine commandLine(CliContext context) {
    CommandLine commandLine = new CommandLine(new MtlsCommand(context));
    commandLine.setOut(context.out());
    commandLine.setErr(context.err());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setUsageHelpWidth(USAGE_WIDTH);
    flowDescriptions(commandLine);
    return commandLine;
  }

  /**
   * Descriptions are written as lines in the annotations; joined, they flow to the help's width.
   * Footers (examples, JSON schemas) keep their lines.
   */
  private static void flowDescriptions(CommandLine commandLine) {
    String[] lines = commandLine.getCommandSpec().usageMessage().description();
    if (lines.length > 1) {
      commandLine.getCommandSpec().usageMessage().description(String.join(" ", lines));
    }
    commandLine.getSubcommands().values().forEach(Main::flowDescriptions);
  }

  private static int report(CliContext context, String command, Exception e, boolean verbose) {
    int code;
    String message;
    if (e instanceof CliException cli) {
      code = cli.exitCode();
      message = e.getMessage();
    } else if (e instanceof PkiException) {
      code = ExitCodes.USAGE;
      message = e.getMessage();
    } else {
      code = ExitCodes.ENVIRONMENT;
      message = "internal error: " + e.getClass().getName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage());
      Logger log = LoggerFactory.getLogger(Main.class);
      log.debug("{} failed", command, e);
    }
    context.err().println(command + ": " + oneLine(message));
    if (verbose) {
      e.printStackTrace(context.err());
    }
    context.err().flush();
    return code;
  }

  /** Keeps an error to one line, so that scripts can read it. */
  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }
}
