package io.conveyor.local.runtime.iam;

import io.conveyor.aws.AwsHttpService;
import java.util.Map;

/**
 * Records the Step Functions, EventBridge and Lambda calls of the functions while an {@link IamCallRecording} runs;
 * does nothing otherwise. Declared in this module's {@code META-INF/services}, which {@link AwsHttpService} reads.
 */
public final class HttpServiceCallRecorder implements AwsHttpService.CallObserver {
    @Override
    public void calling(AwsHttpService.Service service, String encodedPath, Map<String, String> headers, byte[] body) {
        IamCallRecording recording = IamCallRecording.active();
        String function = IamCallRecording.callingFunction();
        if (recording != null && function != null) {
            recording.function(function, recording.httpServices.of(service, encodedPath, headers, body));
        }
    }
}
