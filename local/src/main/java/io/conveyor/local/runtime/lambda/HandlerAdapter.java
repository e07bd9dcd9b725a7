package io.conveyor.local.runtime.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Calls one handler class the way Lambda's Java runtime does: a {@link RequestStreamHandler} gets the raw payload; a
 * {@link RequestHandler} gets its input type read from the payload and its output written back with the runtime's
 * own serialisation ({@code aws-lambda-java-serialization}: the events library's classes with their mixins and
 * naming, anything else with the runtime's Jackson configuration).
 */
final class HandlerAdapter {
    private final Class<?> handlerClass;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;

    private HandlerAdapter(Class<?> handlerClass, PojoSerializer<Object> input, PojoSerializer<Object> output) {
        this.handlerClass = handlerClass;
        this.input = input;
        this.output = output;
    }

    /**
     * The adapter for {@code className}, whose static initialiser has not run yet (it runs with the first instance).
     *
     * @throws ClassNotFoundException when the class is not on the class path
     * @throws IllegalArgumentException when it is neither a {@code RequestHandler} nor a {@code RequestStreamHandler}
     */
    static HandlerAdapter load(String className, ClassLoader loader) throws ClassNotFoundException {
        Class<?> type = Class.forName(className, false, loader);
        if (RequestStreamHandler.class.isAssignableFrom(type)) {
            return new HandlerAdapter(type, null, null);
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("Class " + className
                    + " does not implement RequestHandler or RequestStreamHandler");
        }
        Type[] io = requestHandlerTypes(type);
        return new HandlerAdapter(type, serializerFor(io[0], loader), serializerFor(io[1], loader));
    }

    /** A new handler instance: what Lambda builds once per execution environment (cold start). */
    Object newInstance() throws Throwable {
        try {
            Constructor<?> constructor = handlerClass.getConstructor();
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } catch (ExceptionInInitializerError e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    /**
     * Runs one invocation.
     *
     * @throws BadInputException when the payload does not deserialise into the handler's input type
     * @throws Throwable whatever the handler throws
     */
    @SuppressWarnings("unchecked")
    byte[] invoke(Object handler, byte[] payload, Context context) throws Throwable {
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        Object event;
        try {
            event = input.fromJson(new ByteArrayInputStream(payload));
        } catch (RuntimeException e) {
            throw new BadInputException(e);
        }
        Object result = ((RequestHandler<Object, Object>) handler).handleRequest(event, context);
        if (result == null) {
            return "null".getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(result, out);
        return out.toByteArray();
    }

    /** The payload could not be read as the handler's input type. */
    static final class BadInputException extends Exception {
        BadInputException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** As the runtime: an events-library class gets its dedicated serialiser, anything else the runtime's Jackson. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializerFor(Type type, ClassLoader loader) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return LambdaEventSerializers.serializerFor((Class<Object>) c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The {@code I} and {@code O} of {@code RequestHandler<I, O>} as the class declares them; Object where unknown. */
    private static Type[] requestHandlerTypes(Class<?> type) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            for (Type t : k.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    Type[] args = p.getActualTypeArguments();
                    return new Type[] {concrete(args[0]), concrete(args[1])};
                }
            }
        }
        return new Type[] {Object.class, Object.class};
    }

    private static Type concrete(Type t) {
        return t instanceof Class<?> || t instanceof ParameterizedType ? t : Object.class;
    }
}
