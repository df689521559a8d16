<?php

declare(strict_types=1);

namespace Herald\Exception;

/**
 * A call to Herald's admin API failed. getCode() is the HTTP status of Herald's error envelope
 * ({"code","message","data":null}) and getMessage() its message; 0 when no answer arrived
 * (TimeoutException, ConnectionException). Each documented status has its own subclass.
 */
class HeraldException extends \RuntimeException
{
    /** The exception for an error envelope: one subclass per documented status. */
    public static function fromEnvelope(int $status, string $message): self
    {
        $class = match ($status) {
            400 => BadRequestException::class,
            401 => UnauthorizedException::class,
            404 => NotFoundException::class,
            405 => MethodNotAllowedException::class,
            409 => ConflictException::class,
            413 => PayloadTooLargeException::class,
            422 => ValidationException::class,
            429 => RateLimitedException::class,
            503 => UnavailableException::class,
            default => $status >= 500 ? ServerErrorException::class : self::class,
        };
        return new $class($message, $status);
    }

    public function status(): int
    {
        return $this->getCode();
    }
}
