package org.framecache.proxy.local;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.framecache.proxy.http.ProxyException;

/**
 * A folder of DICOM files as a Camel endpoint that answers like a DICOMweb store reached with camel-http: the
 * request is the message's {@code CamelHttpMethod}, {@code CamelHttpPath} (relative to the store's base),
 * {@code CamelHttpQuery} and {@code Accept}; the answer is {@code CamelHttpResponseCode}, {@code Content-Type}
 * and the body, errors included (as camel-http with {@code throwExceptionOnFailure=false}). So the routes call
 * {@code {{proxy.upstream-url}}} unchanged whether it is a store over HTTP or this folder, and a request is served
 * on the thread that asked, with no HTTP hop. camel-http options in the routes' URIs are accepted and ignored.
 *
 * <p>Paths (PS3.18 §10.4 WADO-RS, §10.6 QIDO-RS): {@code /studies}, {@code /series}, {@code /instances},
 * {@code /studies/{s}/series}, {@code /studies/{s}/instances}, {@code /studies/{s}/series/{se}/instances};
 * {@code .../metadata} at study, series and instance level; {@code .../instances/{i}};
 * {@code .../frames/{list}}; {@code .../frames/{n}/rendered}. Anything else is 404; methods other than GET and
 * HEAD are 405 (the folder is read-only).
 */
public final class DicomFolderComponent extends DefaultComponent {
    /** The scheme the proxy registers this component under. */
    public static final String SCHEME = "dicom-folder";

    private static final String UID = "([0-9.]{1,64})";
    private static final Pattern STUDY = Pattern.compile("/studies/" + UID);
    private static final Pattern SERIES = Pattern.compile("/studies/" + UID + "/series/" + UID);
    private static final Pattern INSTANCE = Pattern.compile("/studies/" + UID + "/series/" + UID + "/instances/" + UID);

    private final LocalRetrieve retrieve;
    private final LocalSearch search;

    public DicomFolderComponent(DicomFolder folder) {
        this.retrieve = new LocalRetrieve(folder);
        this.search = new LocalSearch(folder);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        parameters.clear(); // camel-http options (throwExceptionOnFailure, ...) mean nothing here
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                return new DefaultProducer(this) {
                    @Override
                    public void process(Exchange exchange) throws Exception {
                        answer(exchange);
                    }
                };
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                throw new UnsupportedOperationException("a DICOM folder is only called, never consumed from");
            }

            @Override
            public boolean isLenientProperties() {
                return true;
            }
        };
    }

    void answer(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        try {
            String method = message.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new ProxyException(405, "this store is a read-only folder of DICOM files");
            }
            dispatch(exchange, path(message.getHeader(Exchange.HTTP_PATH, "", String.class)));
        } catch (ProxyException e) {
            message.removeHeaders("*");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, e.getStatus());
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(e.getMessage() + "\n");
        }
    }

    private void dispatch(Exchange exchange, String path) throws Exception {
        switch (path) {
            case "/studies" -> search.studies(exchange);
            case "/series" -> search.series(exchange);
            case "/instances" -> search.instances(exchange);
            default -> {
                if (!dispatchInstance(exchange, path) && !dispatchSeries(exchange, path)
                        && !dispatchStudy(exchange, path)) {
                    throw new ProxyException(404, "no such resource in this store: " + path);
                }
            }
        }
    }

    private boolean dispatchInstance(Exchange exchange, String path) throws Exception {
        Matcher m = INSTANCE.matcher(path);
        if (!m.lookingAt()) {
            return false;
        }
        String rest = path.substring(m.end());
        Message message = exchange.getMessage();
        message.setHeader("study", m.group(1));
        message.setHeader("series", m.group(2));
        message.setHeader("instance", m.group(3));
        if (rest.isEmpty()) {
            retrieve.instance(exchange);
        } else if (rest.equals("/metadata")) {
            retrieve.metadata(exchange);
        } else if (rest.startsWith("/frames/")) {
            String frames = rest.substring("/frames/".length());
            boolean rendered = frames.endsWith("/rendered");
            message.setHeader("frames", rendered ? frames.substring(0, frames.length() - "/rendered".length()) : frames);
            if (rendered) {
                retrieve.rendered(exchange);
            } else if (!frames.contains("/")) {
                retrieve.frames(exchange);
            } else {
                return false;
            }
        } else {
            return false;
        }
        return true;
    }

    private boolean dispatchSeries(Exchange exchange, String path) throws Exception {
        Matcher m = SERIES.matcher(path);
        if (!m.lookingAt()) {
            return false;
        }
        String rest = path.substring(m.end());
        exchange.getMessage().setHeader("study", m.group(1));
        exchange.getMessage().setHeader("series", m.group(2));
        switch (rest) {
            case "/metadata" -> retrieve.metadata(exchange);
            case "/instances" -> search.instances(exchange);
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean dispatchStudy(Exchange exchange, String path) throws Exception {
        Matcher m = STUDY.matcher(path);
        if (!m.lookingAt()) {
            return false;
        }
        String rest = path.substring(m.end());
        exchange.getMessage().setHeader("study", m.group(1));
        switch (rest) {
            case "/metadata" -> retrieve.metadata(exchange);
            case "/series" -> search.series(exchange);
            case "/instances" -> search.instances(exchange);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The path with one leading slash and no trailing one. */
    private static String path(String raw) {
        String path = raw.startsWith("/") ? raw : "/" + raw;
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
