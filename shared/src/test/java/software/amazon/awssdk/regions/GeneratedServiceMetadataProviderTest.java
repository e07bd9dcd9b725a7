package software.amazon.awssdk.regions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.io.File;
import java.net.URL;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * conveyor-shared's provider must answer exactly what the SDK's own (in the {@code regions} jar, which it replaces
 * where both are on the class path) answers, for every endpoint prefix the SDK knows.
 */
class GeneratedServiceMetadataProviderTest {

    @Test
    void answersTheSdksMetadataClass_forEveryEndpointPrefixTheSdkKnows() throws Exception {
        Map<String, String> sdk = sdkProviderClassNames();
        assertTrue(sdk.size() > 300, "the SDK's provider knows every AWS service: " + sdk.size());
        GeneratedServiceMetadataProvider provider = new GeneratedServiceMetadataProvider();
        Map<String, String> differing = new TreeMap<>();
        sdk.forEach((prefix, sdkClass) -> {
            ServiceMetadata ours = provider.serviceMetadata(prefix);
            String ourClass = ours == null ? null : ours.getClass().getName();
            if (!sdkClass.equals(ourClass)) {
                differing.put(prefix, "the SDK's " + sdkClass + ", ours " + ourClass);
            }
        });
        assertEquals(Map.of(), differing);
    }

    @Test
    void answersNothing_forAPrefixTheSdkDoesNotKnow_asTheSdksDoes() {
        GeneratedServiceMetadataProvider provider = new GeneratedServiceMetadataProvider();
        assertNull(provider.serviceMetadata("no-such-service"));
        assertNull(provider.serviceMetadata(""));
        assertNull(provider.serviceMetadata("regions"), "a word of the SDK's that names no service");
    }

    @Test
    void buildsEachServicesMetadataOnce() {
        GeneratedServiceMetadataProvider provider = new GeneratedServiceMetadataProvider();
        assertSame(provider.serviceMetadata("dynamodb"), new GeneratedServiceMetadataProvider().serviceMetadata("dynamodb"));
    }

    @Test
    void clientsResolveTheirSigningRegionAndEndpointThroughIt() {
        ServiceMetadata dynamoDb = ServiceMetadata.of("dynamodb");
        assertEquals(Region.EU_WEST_1, dynamoDb.signingRegion(Region.EU_WEST_1));
        assertEquals("dynamodb.eu-west-1.amazonaws.com", dynamoDb.endpointFor(Region.EU_WEST_1).toString());
    }

    /**
     * The SDK's provider's answers, by endpoint prefix. Its class is read from the {@code regions} jar and defined in a
     * class loader of its own, so this project's class of the same name cannot stand in; everything it names comes from
     * the test's class path, as for this project's.
     */
    private static Map<String, String> sdkProviderClassNames() throws Exception {
        String name = GeneratedServiceMetadataProvider.class.getName();
        URL regionsJar = ServiceMetadata.class.getProtectionDomain().getCodeSource().getLocation();
        byte[] sdkClassFile;
        try (JarFile jar = new JarFile(new File(regionsJar.toURI()))) {
            sdkClassFile = jar.getInputStream(jar.getEntry(name.replace('.', '/') + ".class")).readAllBytes();
        }
        ClassLoader sdkOnly = new ClassLoader(GeneratedServiceMetadataProviderTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
                if (!className.equals(name)) {
                    return super.loadClass(className, resolve);
                }
                synchronized (getClassLoadingLock(className)) {
                    Class<?> loaded = findLoadedClass(className);
                    return loaded != null ? loaded : defineClass(className, sdkClassFile, 0, sdkClassFile.length);
                }
            }
        };
        Field byPrefix = sdkOnly.loadClass(name).getDeclaredField("SERVICE_METADATA");
        byPrefix.setAccessible(true);
        Map<String, String> classNames = new TreeMap<>();
        ((Map<?, ?>) byPrefix.get(null)).forEach((prefix, metadata) ->
                classNames.put((String) prefix, metadata.getClass().getName()));
        return classNames;
    }
}
