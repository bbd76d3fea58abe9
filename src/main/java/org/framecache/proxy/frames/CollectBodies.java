package org.framecache.proxy.frames;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregates split results into one list body, in the order the splitter hands them over (sequential splits:
 * part order; parallel splits: input order, since the splitter does not stream results).
 */
public final class CollectBodies implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange collected, Exchange next) {
        if (collected == null) {
            List<Object> bodies = new ArrayList<>();
            bodies.add(next.getIn().getBody());
            next.getIn().setBody(bodies);
            return next;
        }
        @SuppressWarnings("unchecked")
        List<Object> bodies = collected.getIn().getBody(List.class);
        bodies.add(next.getIn().getBody());
        return collected;
    }
}
