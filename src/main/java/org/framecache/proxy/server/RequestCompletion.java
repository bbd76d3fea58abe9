package org.framecache.proxy.server;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.frames.InFlightBytes;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.ops.AccessLog;

/**
 * What must happen when an inbound request is done, whatever happened to it: requests waiting for the access
 * decision it was asking the store for, and for frames it claimed, stop waiting (with the answer or the failure),
 * and the access log and audit get their line. Registered by
 * a route step as a completion of the exchange's unit of work, so it runs once the answer has been handed to
 * the server: unlike {@code onCompletion} in the route, it needs no copy of the exchange and no sub-route per
 * request, and the client does not wait for the log line.
 */
public final class RequestCompletion {
    private final InFlightFrames inFlight;
    private final InstanceAccess access;
    private final AccessLog accessLog;
    private final InFlightBytes inFlightBytes;

    public RequestCompletion(InFlightFrames inFlight, InstanceAccess access, AccessLog accessLog,
                             InFlightBytes inFlightBytes) {
        this.inFlight = inFlight;
        this.access = access;
        this.accessLog = accessLog;
        this.inFlightBytes = inFlightBytes;
    }

    public void register(Exchange exchange) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    inFlightBytes.release(done.getProperty(FrameRequest.PROPERTY, FrameRequest.class));
                    access.doneAsking(done);
                    inFlight.release(done);
                } finally {
                    accessLog.record(done);
                }
            }
        });
    }
}
