package dev.mtls.examples.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RotationDemoTest {

  @Test
  void run_clientSeesTheRenewedCertificateWithoutARestart() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    RotationDemo.Seen seen = RotationDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    assertThat(seen.after()).isNotEqualTo(seen.before());
    assertThat(seen.after().getSubjectX500Principal()).isEqualTo(seen.before().getSubjectX500Principal());
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("after:  serial " + seen.after().getSerialNumber().toString(16))
        .contains("renewed on disk: serial " + seen.after().getSerialNumber().toString(16));
  }
}
