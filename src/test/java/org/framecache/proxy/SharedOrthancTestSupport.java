package org.framecache.proxy;

import java.util.Properties;

import org.framecache.proxy.testing.OrthancProcess;

/** The real application in front of the Orthanc shared by the test run. */
public abstract class SharedOrthancTestSupport extends ProxyTestSupport {
    protected static final OrthancProcess ORTHANC = OrthancProcess.shared();

    /** Properties beyond the upstream URL; none by default. */
    protected void moreProperties(Properties properties) {
    }

    @Override
    protected final Properties testProperties() {
        Properties properties = new Properties();
        properties.setProperty("proxy.upstream-url", ORTHANC.dicomWebUrl());
        moreProperties(properties);
        return properties;
    }
}
