package io.herald.peer.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Benchmark peer: the subset of Herald's contract the load tool drives, on Spring Boot. */
@SpringBootApplication
public class PeerApplication {
  public static void main(String[] args) {
    SpringApplication.run(PeerApplication.class, args);
  }
}
