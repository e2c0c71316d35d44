package example.spring;

import example.Apps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot application with its default Logback setup: starts, then logs lines until told to crash (see {@link Apps}). */
@SpringBootApplication
public class SpringApp {
    public static void main(String[] args) throws Exception {
        SpringApplication.run(SpringApp.class, args);
        Logger log = LoggerFactory.getLogger(SpringApp.class);
        Apps.run("wait", i -> log.info("app line {}", i), log::info);
    }
}
