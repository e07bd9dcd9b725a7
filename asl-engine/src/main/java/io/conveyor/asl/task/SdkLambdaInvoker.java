package io.conveyor.asl.task;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/** Invokes functions through the Lambda API (SDK v2), against whatever endpoint {@link TaskClients} uses. */
public final class SdkLambdaInvoker implements LambdaInvoker {

  private final TaskClients clients;

  public SdkLambdaInvoker(TaskClients clients) {
    this.clients = clients;
  }

  @Override
  public LambdaResponse invoke(String functionName, String payload) {
    try {
      InvokeResponse r = clients.lambda().invoke(InvokeRequest.builder().functionName(functionName)
          .payload(SdkBytes.fromUtf8String(payload)).build());
      String body = r.payload() == null ? "null" : r.payload().asUtf8String();
      return new LambdaResponse(body, r.functionError(), r.executedVersion());
    } catch (LambdaException e) {
      String code = e.awsErrorDetails() == null ? "AWSLambdaException" : e.awsErrorDetails().errorCode();
      throw new LambdaServiceException(code, e.getMessage());
    }
  }
}
