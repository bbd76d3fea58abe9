package org.framecache.proxy.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.framecache.proxy.http.ProxyException;

/**
 * Scheme://host/prefix as the client addressed the proxy, for the Content-Location of each frame. The Host header
 * is checked (RFC 9110 §7.2: host and optional port; anything else is 400). X-Forwarded-Proto/-Host and RFC 7239
 * Forwarded name the public URL only when the connection comes from a configured trusted proxy
 * ({@code proxy.trusted-proxies}); from anyone else they are ignored, and a value that is not a scheme (http, https)
 * or a host is ignored too.
 */
public final class PublicBaseUrl {
    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> trusted;

    /** @param trustedProxies addresses or CIDR ranges (IPv4 or IPv6 literals, no names); empty trusts no one */
    public PublicBaseUrl(Collection<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : trustedProxies) {
            int slash = entry.indexOf('/');
            byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("proxy.trusted-proxies: not an IP address or CIDR range: " + entry);
            }
            int bits;
            try {
                bits = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("proxy.trusted-proxies: bad prefix length in " + entry);
            }
            ranges.add(new Range(network, bits));
        }
        this.trusted = List.copyOf(ranges);
    }

    /** The public base URL of a request whose path is {@code prefix + "/studies/..."}. */
    public String of(InboundRequest in, String prefix) {
        String proto = "http";
        String host = in.host();
        if (host == null) {
            host = "localhost";
        } else if (!isHost(host)) {
            throw ProxyException.badRequest("invalid Host header");
        }
        if (!trusted.isEmpty() && isTrusted(in.remoteAddress())) {
            String forwardedProto = lastHop(in.header("X-Forwarded-Proto"));
            String forwardedHost = lastHop(in.header("X-Forwarded-Host"));
            String forwarded = in.header("Forwarded");
            if (forwarded != null) {
                // RFC 7239 §4: each proxy appends its element; walk back from ours past the trusted ones, so an
                // element the client wrote itself is never read
                String[] elements = forwarded.split(",");
                int i = elements.length - 1;
                while (i > 0 && isTrusted(parameter(elements[i], "for"))) {
                    i--;
                }
                String elementHost = parameter(elements[i], "host");
                String elementProto = parameter(elements[i], "proto");
                forwardedHost = elementHost != null ? elementHost : forwardedHost;
                forwardedProto = elementProto != null ? elementProto : forwardedProto;
            }
            if (forwardedProto != null && (forwardedProto.equalsIgnoreCase("http") || forwardedProto.equalsIgnoreCase("https"))) {
                proto = forwardedProto.toLowerCase();
            }
            if (forwardedHost != null && isHost(forwardedHost)) {
                host = forwardedHost;
            }
        }
        return proto + "://" + host + prefix;
    }

    boolean isTrusted(String address) {
        byte[] bytes = address == null ? null : literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : trusted) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 3986 host (a name of letters, digits, "-", ".", "_", "~", or an IPv6 literal in brackets), then ":port". */
    static boolean isHost(String value) {
        if (value.isEmpty() || value.length() > 255) {
            return false;
        }
        int end = value.length();
        int colon = value.lastIndexOf(':');
        if (colon >= 0 && value.indexOf(']') < colon) {
            String port = value.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            end = colon;
        }
        String name = value.substring(0, end);
        if (name.startsWith("[")) {
            return name.endsWith("]") && name.length() > 2
                    && name.substring(1, name.length() - 1).chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        return !name.isEmpty() && name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~');
    }

    /** The bytes of an IPv4 or IPv6 literal; null for anything else (never a DNS lookup). */
    private static byte[] literal(String text) {
        String address = text.strip();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        boolean ipv4 = !address.isEmpty() && address.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')
                && address.split("\\.", -1).length == 4;
        boolean ipv6 = address.indexOf(':') >= 0 && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** One parameter of a Forwarded element ({@code for=...;host="..."}), unquoted; null when absent. */
    private static String parameter(String element, String name) {
        for (String pair : element.split(";")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(name)) {
                String value = kv[1].strip();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    /**
     * The value the nearest proxy set in a possibly chained X-Forwarded-* header ("a, b" → "b"): a trusted proxy
     * appends to what the client sent, so only the last value is its own.
     */
    private static String lastHop(String value) {
        if (value == null) {
            return null;
        }
        int comma = value.lastIndexOf(',');
        return (comma < 0 ? value : value.substring(comma + 1)).strip();
    }
}
