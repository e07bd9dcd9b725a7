package software.amazon.awssdk.regions;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces the SDK's class of the same name (from {@code software.amazon.awssdk:regions}) with one that builds a
 * service's metadata when it is first asked for, instead of building all 312 services' at once.
 *
 * <p>Why: building any SDK client asks {@link ServiceMetadata#of} for its signing region. In SDK 2.41 that
 * initialises the SDK's provider, whose static initialiser loads and instantiates one class per AWS service: about
 * 400 classes and, in a fresh JVM with Lambda's options, about a third of a handler's INIT phase (measured with
 * {@code infra/cdk/init-times.sh}). SDK 2.54 stops asking during client creation (aws-sdk-java-v2 #3664, #7161), but
 * the Step Functions, Lambda and EventBridge clients this project uses elsewhere do not resolve at any version with
 * that change, so the project stays on 2.41 and this class backports the effect. Remove it when the SDK moves past
 * 2.53.
 *
 * <p>What it answers is what the SDK's provider answers: the same metadata class for every endpoint prefix, and
 * {@code null} for a prefix the SDK does not know. The SDK names each class after the endpoint prefix, in words
 * capitalised and joined ({@code api.ecr} is {@code ApiEcrServiceMetadata}), except for S3's, which it replaces by
 * {@code EnhancedS3ServiceMetadata}. {@code GeneratedServiceMetadataProviderTest} checks every prefix of the SDK's
 * own provider against this one, so an SDK upgrade that changes a name fails the build. The Lambda jar's shade
 * configuration leaves the SDK's class out, so this one is the only one there; elsewhere both are on the class path
 * and either behaves the same.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
    private static final String PACKAGE = "software.amazon.awssdk.regions.servicemetadata.";
    private static final Map<String, String> NAMED_OTHERWISE = Map.of("s3", "EnhancedS3ServiceMetadata");
    private static final Map<String, ServiceMetadata> BUILT = new ConcurrentHashMap<>();

    @Override
    public ServiceMetadata serviceMetadata(String endpointPrefix) {
        // An unknown prefix builds nothing and is not remembered, as the SDK's map has no entry for it.
        return BUILT.computeIfAbsent(endpointPrefix, GeneratedServiceMetadataProvider::build);
    }

    /** The SDK's metadata class for the prefix, or {@code null} when the SDK has none. */
    private static ServiceMetadata build(String endpointPrefix) {
        Class<?> type;
        try {
            type = Class.forName(PACKAGE + className(endpointPrefix), true,
                    GeneratedServiceMetadataProvider.class.getClassLoader());
        } catch (ClassNotFoundException unknownService) {
            return null;
        }
        if (!ServiceMetadata.class.isAssignableFrom(type)) {
            return null;
        }
        try {
            return (ServiceMetadata) type.getConstructor().newInstance();
        } catch (InvocationTargetException | InstantiationException | IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException("cannot build the SDK's " + type.getName(), e);
        }
    }

    /** {@code api.ecr} is {@code ApiEcrServiceMetadata}, {@code access-analyzer} {@code AccessAnalyzerServiceMetadata}. */
    static String className(String endpointPrefix) {
        String special = NAMED_OTHERWISE.get(endpointPrefix);
        if (special != null) {
            return special;
        }
        StringBuilder name = new StringBuilder();
        for (String word : endpointPrefix.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                name.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return name.append("ServiceMetadata").toString();
    }
}
