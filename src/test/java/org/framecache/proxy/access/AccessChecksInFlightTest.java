package org.framecache.proxy.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.testing.Await;
import org.junit.jupiter.api.Test;

/** One access check per (caller, instance) at a time: the others wait for it, within their limits. */
class AccessChecksInFlightTest {
    private final CamelContext context = new DefaultCamelContext();

    @Test
    void theFirstAsksAndTheOthersWaitForItsAnswer() throws Exception {
        AccessChecksInFlight checks = new AccessChecksInFlight(10_000);
        Exchange first = new DefaultExchange(context);
        assertTrue(checks.mustAsk(first, "alice|i"));
        assertTrue(checks.mustAsk(new DefaultExchange(context), "bob|i"), "another caller asks for itself");
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        Thread waiter = new Thread(() -> second.complete(checks.mustAsk(new DefaultExchange(context), "alice|i")));
        waiter.start();
        Await.until(Duration.ofSeconds(5), () -> waiter.getState() == Thread.State.TIMED_WAITING,
                "the second caller waiting for the first's check");
        assertFalse(second.isDone(), "the second is waiting, not asking");
        checks.done(first);
        assertFalse(second.get(5, TimeUnit.SECONDS), "the first's check is done: look at its decision");
        Exchange third = new DefaultExchange(context);
        assertTrue(checks.mustAsk(third, "alice|i"), "nothing in flight any more");
        checks.done(third);
    }

    @Test
    void aWaiterAsksItselfWhenTheCheckTakesLongerThanTheWait() {
        AccessChecksInFlight checks = new AccessChecksInFlight(50);
        assertTrue(checks.mustAsk(new DefaultExchange(context), "alice|i"));
        assertTrue(checks.mustAsk(new DefaultExchange(context), "alice|i"));
    }

    @Test
    void aWaiterWhoseOwnDeadlineComesFirstGets504() {
        AccessChecksInFlight checks = new AccessChecksInFlight(10_000);
        checks.setCallerDeadlineMillis(50);
        assertTrue(checks.mustAsk(new DefaultExchange(context), "alice|i"));
        assertEquals(504, assertThrows(ProxyException.class,
                () -> checks.mustAsk(new DefaultExchange(context), "alice|i")).getStatus());
    }
}
