"""The photos' local storage: a folder outside MEDIA_ROOT with no URL at all, so a photo
can only be read through the views that check the branch (selection.views.PhotoFileView)."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("The photos have no public URL: serve them through their view.")
