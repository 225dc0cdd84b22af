{#-
    The standard normal cumulative distribution function of a SQL expression, from the error
    function approximation of Abramowitz & Stegun 7.1.26 (absolute error below 1e-7): portable
    arithmetic, as few engines have erf.
-#}
{% macro normal_cdf(expression) -%}
    {%- set x = "(abs(" ~ expression ~ ") / sqrt(2.0))" -%}
    {%- set t = "(1.0 / (1.0 + 0.3275911 * " ~ x ~ "))" -%}
    {%- set erf_of_abs = "(1.0 - " ~ t ~ " * (0.254829592 + " ~ t ~ " * (-0.284496736 + " ~ t
        ~ " * (1.421413741 + " ~ t ~ " * (-1.453152027 + " ~ t ~ " * 1.061405429)))) * exp(-" ~ x ~ " * " ~ x ~ "))" -%}
    (0.5 * (1.0 + sign({{ expression }}) * {{ erf_of_abs }}))
{%- endmacro %}
