<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 422: a field is missing or ill-typed; the message names the field. */
class ValidationException extends HeraldException
{
}
