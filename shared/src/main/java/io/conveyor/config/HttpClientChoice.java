package io.conveyor.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which HTTP client every SDK client of a function uses ({@code CONVEYOR_HTTP_CLIENT}), one setting for all of them,
 * chosen per environment by what measures best there (README, "The HTTP client").
 */
public enum HttpClientChoice {
    /**
     * The JDK's {@code HttpURLConnection}: the fewest classes to load, so the shortest INIT, and the only one the
     * Lambda jar carries. The default.
     */
    URL_CONNECTION("url-connection"),
    /**
     * Apache HttpClient 5 with a connection pool: about a tenth of the URL-connection client's time per request on
     * loopback, where requests are many and short. The local runtime and the component tests use it.
     */
    APACHE("apache");

    private final String settingValue;

    HttpClientChoice(String settingValue) {
        this.settingValue = settingValue;
    }

    /** The value {@code CONVEYOR_HTTP_CLIENT} takes for this choice. */
    public String settingValue() {
        return settingValue;
    }

    static Optional<HttpClientChoice> ofSettingValue(String value) {
        return Arrays.stream(values()).filter(c -> c.settingValue.equals(value)).findFirst();
    }
}
