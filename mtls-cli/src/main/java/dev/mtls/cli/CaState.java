package dev.mtls.cli;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of a CA directory, kept in {@code ca.json} next to {@code ca.crt} and {@code ca.key}:
 * a JSON file meant to be read by people and scripts as well as by the command.
 *
 * <pre>
 * {
 *   "format" : "mtls-ca-state/1",          the version of this layout
 *   "subject" : "CN=mtls development CA",  the CA's subject (RFC 2253)
 *   "issuer" : "CN=mtls development CA",   who signed the CA's certificate (itself for a root)
 *   "ocspUrl" : "http://127.0.0.1:8888/",  written into the AIA of what the CA issues, or null
 *   "crlUrl" : null,                       written into the CRL distribution points, or null
 *   "crlNumber" : 2,                       the number of the last CRL made (0: none yet)
 *   "certificates" : [ {                   every certificate issued, oldest first
 *     "serial" : "4f1c...",                lower-case hex
 *     "subject" : "CN=api",
 *     "profile" : "server",                server, client or ca
 *     "notBefore" : "2026-11-29T11:00:00Z",
 *     "notAfter" : "2027-02-27T12:00:00Z",
 *     "revoked" : null                     or { "reason" : "keyCompromise", "at" : "2026-..Z" }
 *   } ]
 * }
 * </pre>
 *
 * <p>Each issued certificate is also kept as {@code issued/SERIAL.crt}, from which the OCSP
 * responder answers.
 */
final class CaState {
  static final String FORMAT = "mtls-ca-state/1";

  public String format = FORMAT;
  public String subject;
  public String issuer;
  public String ocspUrl;
  public String crlUrl;
  public long crlNumber;
  public List<Issued> certificates = new ArrayList<>();

  /** One issued certificate. */
  static final class Issued {
    public String serial;
    public String subject;
    public String profile;
    public String notBefore;
    public String notAfter;
    public Revocation revoked;
  }

  /** When and why a certificate was revoked. */
  static final class Revocation {
    public String reason;
    public String at;
  }

  Optional<Issued> find(BigInteger serial) {
    String hex = serial.toString(16);
    return certificates.stream().filter(c -> hex.equals(c.serial)).findFirst();
  }

  static CaState read(Path file) {
    try {
      CaState state = Json.MAPPER.readValue(Files.readAllBytes(file), CaState.class);
      if (!FORMAT.equals(state.format)) {
        throw CliException.input(file + ": unknown format '" + state.format + "', expected " + FORMAT);
      }
      if (state.certificates == null) {
        state.certificates = new ArrayList<>();
      }
      return state;
    } catch (JacksonException e) {
      throw CliException.input(file + ": not a CA state file (" + Main.oneLine(e.getOriginalMessage()) + ")", e);
    } catch (IOException e) {
      throw CliException.input(file + ": cannot read the CA state (" + Problems.describe(e) + ")", e);
    }
  }

  void write(Path file) {
    OutputFiles.writeText(file, Json.write(this) + "\n", false);
  }
}
