"""The signed-in user read with every role they may hold, in the one query that reads the user.

Every page asks who the viewer is (their zone, their alliance's look, which role may open it): with the
roles fetched lazily that was one query per role tried (mentor, teacher, coordinator, company lead, member
staff) on each request. Here they come as LEFT JOINs of the user's own query; a role the user does not hold
is cached as absent, so `getattr(user, "teacher", None)` asks nothing more.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

ROLES = ("mentor__company__alliance", "teacher__school__alliance", "coordinator__alliance",
         "company_lead__company__alliance", "member_staff")


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related(*ROLES).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
