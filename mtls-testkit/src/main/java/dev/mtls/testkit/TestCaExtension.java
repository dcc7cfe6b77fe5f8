package dev.mtls.testkit;

import dev.mtls.pki.CertificateRole;
import dev.mtls.pki.CertifiedKey;
import dev.mtls.pki.KeyType;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that injects a {@link TestCa} and certificates it issues into test
 * parameters.
 *
 * <pre>{@code
 * @ExtendWith(TestCaExtension.class)
 * class PaymentClientTest {
 *   @Test
 *   void presentsItsCertificate(TestCa ca, @Server CertifiedKey server, @Client("payments") CertifiedKey client) {
 *     try (TestTlsServer tls = TestTlsServer.start(ca.sslContext(server))) {
 *       // ... connect with ca.sslContext(client) and assert on tls.awaitConnection(..)
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Parameters of type {@link TestCa} receive the class's CA (one per test class, or per test
 * with {@link TestCaConfig#perTest()}). Parameters of type {@link CertifiedKey} annotated with
 * {@link Server} or {@link Client} receive a freshly issued leaf. With
 * {@link TestCaConfig#revocationServer()}, parameters of type {@link TestRevocationServer}
 * receive the CA's revocation server, which the extension starts with the CA and stops when the
 * CA's scope ends.
 */
public final class TestCaExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestCaExtension.class);

  /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
  public TestCaExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == TestCa.class || type == TestRevocationServer.class
        || (type == CertifiedKey.class
            && (parameterContext.isAnnotated(Server.class)
                || parameterContext.isAnnotated(Client.class)));
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    TestCa ca = ca(context);
    Parameter parameter = parameterContext.getParameter();
    if (parameter.getType() == TestCa.class) {
      return ca;
    }
    if (parameter.getType() == TestRevocationServer.class) {
      return revocationServer(context).orElseThrow(() -> new ParameterResolutionException(
          "Parameter " + parameter.getName() + " wants the CA's revocation server; annotate the"
              + " test class with @TestCaConfig(revocationServer = true)"));
    }
    Optional<Server> server = parameterContext.findAnnotation(Server.class);
    if (server.isPresent()) {
      Server s = server.get();
      LeafBuilder leaf = ca.leaf(CertificateRole.SERVER).names(s.value());
      if (s.value().length > 0) {
        leaf.commonName(s.value()[0]);
      }
      return finish(leaf, s.keyType(), s.validFor(), parameter);
    }
    Client c = parameterContext.findAnnotation(Client.class).orElseThrow();
    LeafBuilder leaf = ca.leaf(CertificateRole.CLIENT).commonName(c.value()).names(c.dns());
    for (String uri : c.uris()) {
      leaf.subjectAlternativeNames(dev.mtls.pki.GeneralName.uri(uri));
    }
    return finish(leaf, c.keyType(), c.validFor(), parameter);
  }

  private static CertifiedKey finish(
      LeafBuilder leaf, KeyType[] keyType, String validFor, Parameter parameter) {
    if (keyType.length > 1) {
      throw new ParameterResolutionException(
          "At most one keyType may be given on parameter " + parameter.getName());
    }
    if (keyType.length == 1) {
      leaf.keyType(keyType[0]);
    }
    if (!validFor.isEmpty()) {
      try {
        leaf.validFor(Duration.parse(validFor));
      } catch (DateTimeParseException e) {
        throw new ParameterResolutionException("validFor '" + validFor + "' on parameter "
            + parameter.getName() + " is not an ISO-8601 duration such as PT5M or P2D", e);
      }
    }
    return leaf.issue();
  }

  private static TestCa ca(ExtensionContext context) {
    Optional<TestCaConfig> config =
        context.getTestClass().map(c -> c.getAnnotation(TestCaConfig.class));
    boolean perTest = config.map(TestCaConfig::perTest).orElse(false);
    ExtensionContext owner = perTest ? context : classContext(context);
    ExtensionContext.Store store = owner.getStore(NAMESPACE);
    TestCa ca = store.get(TestCa.class, TestCa.class);
    if (ca == null) {
      TestCa.Builder builder = TestCa.builder();
      config.ifPresent(c -> builder.keyType(c.keyType()).intermediates(c.intermediates()));
      if (config.map(TestCaConfig::revocationServer).orElse(false)) {
        TestRevocationServer server = TestRevocationServer.start();
        // JUnit closes AutoCloseable values of a store when the store's context ends.
        store.put(TestRevocationServer.class, server);
        builder.revocationServer(server);
      }
      ca = builder.build();
      store.put(TestCa.class, ca);
    }
    return ca;
  }

  private static Optional<TestRevocationServer> revocationServer(ExtensionContext context) {
    ca(context);
    Optional<TestCaConfig> config =
        context.getTestClass().map(c -> c.getAnnotation(TestCaConfig.class));
    boolean perTest = config.map(TestCaConfig::perTest).orElse(false);
    ExtensionContext owner = perTest ? context : classContext(context);
    return Optional.ofNullable(
        owner.getStore(NAMESPACE).get(TestRevocationServer.class, TestRevocationServer.class));
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
