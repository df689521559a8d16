<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 400: the body was not a JSON object. */
class BadRequestException extends HeraldException
{
}
