package org.framecache.proxy.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.framecache.proxy.frames.FrameCache;

/**
 * One self-contained HTML page for operators (no scripts, no external assets, refreshes itself every 10 s): hit
 * ratio, frames by tier, upstream calls, latency, errors, in-flight frames, circuit state, cache health, uptime and
 * the last client-facing errors. Everything comes from the proxy's meters (the same ones /observe/metrics shows),
 * the frame cache and {@link RecentErrors}; every piece of text is HTML-escaped.
 */
public final class StatusPage {
    static final String[] TIERS = {"cache", "upstream", "rendered-fallback", "coalesced"};
    static final String[] CALL_KINDS = {"frames", "rendered", "metadata", "passthrough"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String NA = "n/a";

    private final Supplier<MeterRegistry> meters;
    private final FrameCache cache;
    private final RecentErrors errors;
    private final Supplier<Duration> uptime;
    private final String title;

    /**
     * @param meters the registry the proxy's meters are in, looked up at each rendering (may give null)
     * @param cache the frame cache, for its description and health
     */
    public StatusPage(Supplier<MeterRegistry> meters, FrameCache cache, RecentErrors errors, Supplier<Duration> uptime,
                      String title) {
        this.meters = meters;
        this.cache = cache;
        this.errors = errors;
        this.uptime = uptime;
        this.title = title;
    }

    public String render() {
        MeterRegistry registry = meters.get();
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"refresh\" content=\"10\">\n")
                .append("<title>").append(escape(title)).append(" status</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:70em}\n")
                .append("h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}\n")
                .append("table{border-collapse:collapse}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}\n")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".badge{display:inline-block;padding:.15em .6em;border-radius:.3em;font-weight:bold;color:#fff}\n")
                .append(".ok{background:#2e7d32}.bad{background:#c62828}.unknown{background:#757575}\n")
                .append(".big{font-size:2em;font-weight:bold}.muted{color:#666}\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n<p class=\"muted\">uptime <span id=\"uptime\">")
                .append(escape(duration(uptime.get()))).append("</span> · page generated ")
                .append(escape(TIME.format(Instant.now()))).append(" · refreshes every 10 s · raw numbers at ")
                .append("<a href=\"/observe/metrics\">/observe/metrics</a>, health at ")
                .append("<a href=\"/observe/health\">/observe/health</a></p>\n");

        circuit(html, registry);
        cache(html);
        frames(html, registry);
        upstream(html, registry);
        recentErrors(html);

        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void circuit(StringBuilder html, MeterRegistry registry) {
        Gauge open = registry == null ? null : registry.find("dicomweb.upstream.circuit.open").gauge();
        double value = open == null ? Double.NaN : open.value();
        String state = Double.isNaN(value) ? "unknown" : value >= 1 ? "open" : "closed";
        String css = switch (state) {
            case "open" -> "bad";
            case "closed" -> "ok";
            default -> "unknown";
        };
        html.append("<h2>Circuit to the store</h2>\n<p><span id=\"circuit\" class=\"badge ").append(css)
                .append("\" data-state=\"").append(state).append("\">").append(state.toUpperCase(Locale.ROOT))
                .append("</span> ")
                .append(escape(switch (state) {
                    case "open" -> "store calls are refused with 503; cached frames are still served";
                    case "closed" -> "store calls go through";
                    default -> "the circuit gauge is not registered";
                }))
                .append("</p>\n");
    }

    private void cache(StringBuilder html) {
        String status;
        try {
            status = cache.status();
        } catch (RuntimeException e) {
            status = "status unknown: " + e.getMessage();
        }
        boolean up = "up".equals(status);
        html.append("<h2>Frame cache</h2>\n<p>").append(escape(cache.describe())).append(" <span id=\"cache-health\" class=\"badge ")
                .append(up ? "ok" : "bad").append("\">").append(up ? "UP" : "DEGRADED").append("</span>");
        if (!up) {
            html.append(" ").append(escape(status));
        }
        html.append("</p>\n");
    }

    private static void frames(StringBuilder html, MeterRegistry registry) {
        double[] served = new double[TIERS.length];
        double total = 0;
        boolean known = registry != null;
        for (int i = 0; i < TIERS.length; i++) {
            FunctionCounter counter = registry == null ? null
                    : registry.find("dicomweb.frames.served").tag("tier", TIERS[i]).functionCounter();
            served[i] = counter == null ? Double.NaN : counter.count();
            known &= counter != null;
            total += counter == null ? 0 : served[i];
        }
        String ratio = known && total > 0 ? percent(served[0] / total) : NA;
        html.append("<h2>Frames served</h2>\n<p>hit ratio <span id=\"hit-ratio\" class=\"big\">").append(escape(ratio))
                .append("</span> <span class=\"muted\">(cache ÷ all tiers, ").append(count(total))
                .append(" frames since start)</span></p>\n<table id=\"tiers\">\n<tr><th>tier</th><th>frames</th></tr>\n");
        for (int i = 0; i < TIERS.length; i++) {
            html.append("<tr><td>").append(TIERS[i]).append("</td><td class=\"n\">").append(count(served[i]))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void upstream(StringBuilder html, MeterRegistry registry) {
        html.append("<h2>Store (upstream)</h2>\n<table id=\"calls\">\n<tr><th>calls by kind</th><th></th></tr>\n");
        for (String kind : CALL_KINDS) {
            FunctionCounter calls = registry == null ? null
                    : registry.find("dicomweb.upstream.calls").tag("kind", kind).functionCounter();
            html.append("<tr><td>").append(kind).append("</td><td class=\"n\">")
                    .append(count(calls == null ? Double.NaN : calls.count())).append("</td></tr>\n");
        }
        Counter failed = registry == null ? null : registry.find("dicomweb.upstream.errors").counter();
        Gauge inFlight = registry == null ? null : registry.find("dicomweb.frames.inflight").gauge();
        html.append("<tr><td>failed without an answer (unreachable, timed out)</td><td class=\"n\" id=\"upstream-errors\">")
                .append(count(failed == null ? Double.NaN : failed.count())).append("</td></tr>\n")
                .append("<tr><td>frames being fetched now</td><td class=\"n\" id=\"inflight\">")
                .append(count(inFlight == null ? Double.NaN : inFlight.value())).append("</td></tr>\n</table>\n");

        Timer latency = registry == null ? null : registry.find("dicomweb.upstream.latency").timer();
        html.append("<table id=\"latency\">\n<tr><th>latency of store calls</th><th></th></tr>\n");
        if (latency == null) {
            html.append("<tr><td>not measured</td><td class=\"n\">").append(NA).append("</td></tr>\n");
        } else {
            HistogramSnapshot snapshot = latency.takeSnapshot();
            boolean any = snapshot.count() > 0;
            row(html, "calls", count(snapshot.count()));
            row(html, "mean", any ? millis(snapshot.mean(TimeUnit.MILLISECONDS)) : NA);
            row(html, "max (last few minutes)", any ? millis(snapshot.max(TimeUnit.MILLISECONDS)) : NA);
            row(html, "p50", any ? percentile(snapshot, 0.5) : NA);
            row(html, "p99", any ? percentile(snapshot, 0.99) : NA);
        }
        html.append("</table>\n");
    }

    private void recentErrors(StringBuilder html) {
        List<RecentErrors.Entry> recent = errors.newestFirst();
        html.append("<h2>Recent errors answered to clients</h2>\n<p class=\"muted\">")
                .append(errors.total()).append(" since start; the last ").append(errors.capacity())
                .append(" kept, newest first</p>\n");
        if (recent.isEmpty()) {
            html.append("<p id=\"no-errors\">none</p>\n");
            return;
        }
        html.append("<table id=\"errors\">\n<tr><th>time (UTC)</th><th>status</th><th>reason</th></tr>\n");
        for (RecentErrors.Entry e : recent) {
            html.append("<tr><td>").append(escape(TIME.format(e.time()))).append("</td><td class=\"n\">")
                    .append(e.status()).append("</td><td>").append(escape(e.reason())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><td>").append(escape(name)).append("</td><td class=\"n\">").append(escape(value))
                .append("</td></tr>\n");
    }

    /**
     * A percentile: the Timer's own value when it publishes that percentile, else estimated from its percentile
     * histogram the way Prometheus' histogram_quantile does (linear within the bucket holding the rank).
     */
    static String percentile(HistogramSnapshot snapshot, double q) {
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            if (Math.abs(v.percentile() - q) < 1e-9) {
                return millis(v.value(TimeUnit.MILLISECONDS));
            }
        }
        CountAtBucket[] buckets = snapshot.histogramCounts();
        if (buckets.length == 0) {
            return NA;
        }
        double[] cumulative = new double[buckets.length];
        boolean isCumulative = true;
        for (int i = 1; i < buckets.length; i++) {
            isCumulative &= buckets[i].count() >= buckets[i - 1].count();
        }
        double running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running = isCumulative ? buckets[i].count() : running + buckets[i].count();
            cumulative[i] = running;
        }
        double rank = q * snapshot.count();
        double lowerBound = 0;
        double below = 0;
        for (int i = 0; i < buckets.length; i++) {
            double upperBound = buckets[i].bucket(TimeUnit.MILLISECONDS);
            if (cumulative[i] >= rank && cumulative[i] > below) {
                double value = lowerBound + (upperBound - lowerBound) * (rank - below) / (cumulative[i] - below);
                return "≈ " + millis(value);
            }
            lowerBound = upperBound;
            below = cumulative[i];
        }
        return "> " + millis(lowerBound);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    private static String millis(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String count(double value) {
        return Double.isNaN(value) ? NA : Long.toString(Math.round(value));
    }

    static String duration(Duration d) {
        if (d == null) {
            return NA;
        }
        long s = d.toSeconds();
        long days = s / 86400;
        long hours = s % 86400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        return days > 0 ? days + " d " + hours + " h " + minutes + " min"
                : hours > 0 ? hours + " h " + minutes + " min " + seconds + " s"
                : minutes > 0 ? minutes + " min " + seconds + " s"
                : seconds + " s";
    }

    /** Text as HTML element content or a quoted attribute value. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
