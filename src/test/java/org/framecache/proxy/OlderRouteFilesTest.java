package org.framecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.frames.InstancePrefetcher;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.render.RenderedFrames;
import org.framecache.proxy.render.SourceIccProfiles;
import org.junit.jupiter.api.Test;

/**
 * Route files are the operator's to edit (routes-dir, the k8s ConfigMap): files written before the routes named
 * their arguments call these beans by method name alone. The beans keep binding the frame request (and the other
 * properties) themselves, so such files go on working with a newer jar; the routes in this repository pass the
 * same values explicitly, which wins over the annotations.
 */
class OlderRouteFilesTest {
    /** Bean methods the routes called without arguments before they named them (house2-base, 2026-12). */
    private static final Map<Class<?>, List<String>> CALLED_BARE = Map.of(
            FrameCache.class, List.of("lookup", "lookupFallback"),
            InFlightFrames.class, List.of("await"),
            InstancePrefetcher.class, List.of("consider"),
            StoredSyntaxes.class, List.of("mustProbe", "choose", "markProbed"),
            SourceIccProfiles.class, List.of("mustFetch", "bulkDataPath"),
            RenderedFrames.class, List.of("storedSyntaxUnknown", "storedFramesUnusable", "storedFramesFailed",
                    "chooseRenderer", "chooseVirtualLevel", "render", "transcode"));

    @Test
    void everyBeanMethodOnceCalledBareBindsItsArgumentsItself() {
        List<String> unbound = new ArrayList<>();
        CALLED_BARE.forEach((type, names) -> names.forEach(name -> {
            List<Method> methods = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).toList();
            assertEquals(1, methods.size(), type.getSimpleName() + "." + name + ": one public method of that name");
            Parameter first = methods.get(0).getParameters()[0];
            ExchangeProperty property = first.getAnnotation(ExchangeProperty.class);
            if (first.getType() != FrameRequest.class || property == null
                    || !property.value().equals(FrameRequest.PROPERTY)) {
                unbound.add(type.getSimpleName() + "." + name);
            }
        }));
        assertEquals(List.of(), unbound, "methods an older route file calls by name alone, without the frame request");
    }

    @Test
    void aBareCallStillGetsTheFrameRequestAndANamedOneTheSame() throws Exception {
        StoredSyntaxes syntaxes = new StoredSyntaxes(Duration.ofMinutes(1));
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("storedSyntaxes", syntaxes);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bare").bean("storedSyntaxes", "mustProbe");
                    from("direct:named").bean("storedSyntaxes", "mustProbe(${exchangeProperty.frameRequest})");
                }
            });
            context.start();
            ProducerTemplate producer = context.createProducerTemplate();
            FrameRequest stored = request(Representation.stored());
            for (String route : List.of("direct:bare", "direct:named")) {
                // the body is the HTTP request's, never a FrameRequest: only the property can give it
                Exchange done = producer.send(route, e -> {
                    e.getMessage().setBody(new byte[] {1, 2, 3});
                    e.setProperty(FrameRequest.PROPERTY, stored);
                });
                assertNull(done.getException(), route + ": the bean got its argument");
                assertFalse(done.getMessage().getBody(Boolean.class), route + ": stored bytes need no probe");
            }
        }
    }

    private static FrameRequest request(Representation representation) {
        return new FrameRequest("1.2", "1.2.3", "1.2.3.4", new int[] {1}, representation, null, Map.of(), "");
    }
}
