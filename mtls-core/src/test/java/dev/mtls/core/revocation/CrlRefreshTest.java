package dev.mtls.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.pki.CertificateInfo;
import dev.mtls.pki.DistributionPoint;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestRevocationServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The background refresh of CRLs fetched over HTTP: one per location, never a storm. */
class CrlRefreshTest {
  private TestRevocationServer revocation;
  private TestCa ca;
  private ScheduledThreadPoolExecutor executor;
  private HttpFetcher fetcher;
  private volatile Duration ahead = Duration.ZERO;
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("not needed");
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(ahead);
    }
  };

  @BeforeEach
  void start() {
    revocation = TestRevocationServer.start();
    ca = TestCa.builder().revocationServer(revocation).build();
    executor = new ScheduledThreadPoolExecutor(1);
    executor.setRemoveOnCancelPolicy(true);
    fetcher = new HttpFetcher();
  }

  @AfterEach
  void stop() {
    fetcher.close();
    executor.shutdownNow();
    revocation.close();
  }

  private List<LoadedCrl> crlsFor(FetchedCrls crls, List<DistributionPoint> points) {
    return crls.crlsFor(points, System.nanoTime() + Duration.ofSeconds(5).toNanos(), new ArrayList<>());
  }

  @Test
  void refetchedCrl_replacesItsScheduledRefresh_atLeastAMinuteAway() {
    List<DistributionPoint> points = CertificateInfo.of(ca.client("billing").certificate())
        .crlDistributionPoints();
    try (FetchedCrls crls = new FetchedCrls(RevocationPolicy.softFail().failureMemory(Duration.ofMinutes(1)),
        clock, executor, fetcher)) {
      assertThat(crlsFor(crls, points)).hasSize(1);
      for (int i = 0; i < 3; i++) {
        ahead = ahead.plus(Duration.ofDays(2)); // past the CRL's nextUpdate and the failure memory
        assertThat(crlsFor(crls, points)).hasSize(1);
        assertThat(crlsFor(crls, points)).as("remembered as a failure, not fetched again").hasSize(1);
      }

      assertThat(revocation.crlRequests()).isEqualTo(4);
      assertThat(executor.getQueue()).as("one scheduled refresh").hasSize(1);
      Delayed refresh = (Delayed) executor.getQueue().peek();
      assertThat(refresh.getDelay(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(59);
    }
    assertThat(executor.getQueue()).as("cancelled by close()").isEmpty();
  }
}
