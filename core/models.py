"""The one model every layer above may point at: the curated skill list volunteers pick from and teachers ask for."""
from django.db import models


class Skill(models.Model):
    """One entry of the curated STEM skill list."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
