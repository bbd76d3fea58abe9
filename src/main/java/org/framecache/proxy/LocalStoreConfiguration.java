package org.framecache.proxy;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.framecache.proxy.local.DicomFolder;
import org.framecache.proxy.local.DicomFolderComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * local-store.folder: a folder of DICOM files as the store, indexed at start; the proxy's upstream (for the routes
 * too) is then the {@link DicomFolderComponent} endpoint over it, called in process. First in
 * {@link ProxyMain#CONFIGURATIONS}: the others read the upstream URL it sets.
 */
public class LocalStoreConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStoreConfiguration.class);

    @PropertyInject("local-store.folder")
    String localFolder;

    @Override
    public void configure(CamelContext context) {
        if (localFolder.isBlank()) {
            return;
        }
        Path root = root(localFolder);
        DicomFolder folder;
        try {
            folder = DicomFolder.index(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot index local-store.folder " + root + ": " + e.getMessage(), e);
        }
        context.addComponent(DicomFolderComponent.SCHEME, new DicomFolderComponent(folder));
        context.getPropertiesComponent().addOverrideProperty("proxy.upstream-url", DicomFolderComponent.SCHEME + "://local");
        LOG.info("Store: the DICOM files in {} ({} instances)", root, folder.allInstances().size());
    }

    /** What the cache keys name the store by: its URL, or the folder's path. */
    static String storeIdentity(String localFolder, String upstreamUrl) {
        return localFolder.isBlank() ? upstreamUrl : DicomFolderComponent.SCHEME + ":" + root(localFolder);
    }

    private static Path root(String localFolder) {
        return Path.of(localFolder.strip()).toAbsolutePath().normalize();
    }
}
