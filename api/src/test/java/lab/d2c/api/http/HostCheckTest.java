package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The name part of a Host header, as the DNS-rebinding check compares it. */
class HostCheckTest {

    @Test
    void thePortIsIgnoredAndIpv6LiteralsKeepTheirBrackets() {
        assertThat(HostCheck.hostName("LocalHost:7070")).isEqualTo("localhost");
        assertThat(HostCheck.hostName("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(HostCheck.hostName("[::1]:7070")).isEqualTo("[::1]");
        assertThat(HostCheck.hostName("attacker.example:7070")).isEqualTo("attacker.example");
        // a rebinding name that merely starts like an allowed one is a different name
        assertThat(HostCheck.hostName("localhost.attacker.example:7070")).isEqualTo("localhost.attacker.example");
    }
}
