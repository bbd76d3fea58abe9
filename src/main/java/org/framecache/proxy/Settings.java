package org.framecache.proxy;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.CamelContext;

/** Reading the values of application.properties the configurations share. */
final class Settings {
    private Settings() {
    }

    /** A comma-separated value as its items, blank ones left out. */
    static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The store the routes call: proxy.upstream-url, or the local store's endpoint when local-store.folder is set. */
    static String upstreamUrl(CamelContext context) {
        return context.resolvePropertyPlaceholders("{{proxy.upstream-url}}");
    }
}
