package dev.mtls.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** IP addresses and CIDR blocks of trusted proxies. */
class AddressBlockTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void ipv4Block_containsItsAddressesOnly() throws Exception {
    AddressBlock block = AddressBlock.parse("10.0.0.0/8");

    assertThat(block.contains(ip("10.0.0.0"))).isTrue();
    assertThat(block.contains(ip("10.255.1.2"))).isTrue();
    assertThat(block.contains(ip("11.0.0.1"))).isFalse();
    assertThat(block.contains(ip("9.255.255.255"))).isFalse();
  }

  @Test
  void ipv4Block_withAPrefixInsideAByte() throws Exception {
    AddressBlock block = AddressBlock.parse("192.168.4.0/22");

    assertThat(block.contains(ip("192.168.7.255"))).isTrue();
    assertThat(block.contains(ip("192.168.8.0"))).isFalse();
    assertThat(block.contains(ip("192.168.3.255"))).isFalse();
  }

  @Test
  void singleAddress_containsOnlyItself() throws Exception {
    AddressBlock block = AddressBlock.parse("127.0.0.1");

    assertThat(block.contains(ip("127.0.0.1"))).isTrue();
    assertThat(block.contains(ip("127.0.0.2"))).isFalse();
  }

  @Test
  void ipv6Block_containsItsAddressesOnly() throws Exception {
    AddressBlock block = AddressBlock.parse("2001:db8::/32");

    assertThat(block.contains(ip("2001:db8::1"))).isTrue();
    assertThat(block.contains(ip("2001:db8:ffff:ffff::1"))).isTrue();
    assertThat(block.contains(ip("2001:db9::1"))).isFalse();
    assertThat(block.contains(ip("10.0.0.1"))).isFalse();
  }

  @Test
  void ipv6Block_withAPrefixInsideAByte() throws Exception {
    AddressBlock block = AddressBlock.parse("fc00::/7");

    assertThat(block.contains(ip("fc00::1"))).isTrue();
    assertThat(block.contains(ip("fdff:1::1"))).isTrue();
    assertThat(block.contains(ip("fe80::1"))).isFalse();
  }

  @Test
  void ipv6Loopback_isNotTheIpv4One() throws Exception {
    AddressBlock block = AddressBlock.parse("::1");

    assertThat(block.contains(ip("::1"))).isTrue();
    assertThat(block.contains(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void ipv4MappedIpv6Address_isTheIpv4Address() throws Exception {
    InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF,
        10, 1, 2, 3});

    assertThat(AddressBlock.parse("10.0.0.0/8").contains(mapped)).isTrue();
    assertThat(AddressBlock.parse("::/1").contains(ip("10.1.2.3"))).isFalse();
  }

  @Test
  void zeroPrefix_everyAddress_isRefused() {
    assertThatThrownBy(() -> AddressBlock.parse("0.0.0.0/0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("found trusted proxy address '0.0.0.0/0'; a block of every address would let every"
            + " client forward any certificate");
    assertThatThrownBy(() -> AddressBlock.parse("::/0")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_refusesHostBitsAndNamesTheFirstAddress() {
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.1/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("found trusted proxy address '10.0.0.1/8' with host bits set after the first 8; expected the"
            + " block's first address, such as 10.0.0.0/8");
    assertThatThrownBy(() -> AddressBlock.parse("2001:db8::1/32"))
        .hasMessage("found trusted proxy address '2001:db8::1/32' with host bits set after the first 32; expected"
            + " the block's first address, such as 2001:db8:0:0:0:0:0:0/32");
  }

  @Test
  void parse_refusesPrefixLengthsOutOfRange() {
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/33"))
        .hasMessage("found trusted proxy address '10.0.0.0/33' with prefix length '33'; expected 0 to 32 for an"
            + " IPv4 block");
    assertThatThrownBy(() -> AddressBlock.parse("fd00::/129"))
        .hasMessage("found trusted proxy address 'fd00::/129' with prefix length '129'; expected 0 to 128 for an"
            + " IPv6 block");
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/08"))
        .hasMessageStartingWith("found trusted proxy address '10.0.0.0/08' with prefix length '08'");
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/"))
        .hasMessageStartingWith("found trusted proxy address '10.0.0.0/' with prefix length ''");
  }

  @Test
  void parse_refusesHostNamesWithoutLookingThemUp() {
    for (String text : new String[] {"localhost", "proxy.example.org/24", "256.0.0.1", "10.0.0", "010.0.0.1",
        "1:2", "fe80::1%lo", "[::1]", ""}) {
      assertThatThrownBy(() -> AddressBlock.parse(text)).as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("found trusted proxy address '" + text + "'; expected an IPv4 or IPv6 address or"
              + " a CIDR block, such as 10.1.2.3, 10.0.0.0/8, 2001:db8::1 or fd00::/8");
    }
  }
}
